package io.pgloom.internal.wire;

import static io.pgloom.internal.wire.Samples.assertSameMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgloom.internal.io.BytesChannel;
import io.pgloom.internal.io.ReadBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A long stream of mixed backend messages, decoded through channels that split it anywhere. */
class BackendStreamTest {

    /** Small messages in a reproducible order, with a few of the big samples among them. */
    static List<BackendMessage> stream() {
        List<BackendMessage> samples = Samples.backend();
        List<BackendMessage> small = samples.stream().filter(m -> Samples.encode(m).length < 4096).toList();
        List<BackendMessage> big = samples.stream().filter(m -> Samples.encode(m).length >= 4096).toList();
        Random random = new Random(99);
        List<BackendMessage> stream = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            stream.add(small.get(random.nextInt(small.size())));
            if (i % 500 == 250) {
                stream.add(big.get(random.nextInt(big.size())));
            }
        }
        return stream;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 13, 1000, Integer.MAX_VALUE})
    void decodesTheSameWhateverTheReadSize(int chunk) throws IOException {
        List<BackendMessage> sent = stream();
        byte[] bytes = Samples.encode(sent);
        BytesChannel channel = BytesChannel.inChunks(bytes, chunk);
        ReadBuffer in = new ReadBuffer(64);

        for (int i = 0; i < sent.size(); i++) {
            BackendMessage received = BackendMessage.read(channel, in);
            int index = i;
            try {
                assertSameMessage(received, sent.get(i));
            } catch (AssertionError e) {
                throw new AssertionError("message " + index + " with reads of " + chunk + " bytes: " + e.getMessage(), e);
            }
        }
        assertThat(channel.consumed()).isEqualTo(bytes.length);
        assertThatThrownBy(() -> BackendMessage.read(channel, in)).isInstanceOf(EOFException.class);
    }

    @Test
    void aOneMegabyteDataRowGrowsTheBufferAndALaterSmallMessageStillWorks() throws IOException {
        byte[] value = Samples.bytes(new Random(1), 1024 * 1024);
        DataRow big = DataRow.of(value, null);
        List<BackendMessage> sent = List.of(new CommandComplete("SELECT 0"), big, new CommandComplete("SELECT 1"),
                new ReadyForQuery((byte) 'I'));
        BytesChannel channel = BytesChannel.oneByteAtATime(Samples.encode(sent));
        ReadBuffer in = new ReadBuffer(16 * 1024);

        assertThat(BackendMessage.read(channel, in)).isEqualTo(new CommandComplete("SELECT 0"));
        DataRow row = (DataRow) BackendMessage.read(channel, in);
        assertThat(in.array().length).isGreaterThan(1024 * 1024);
        assertThat(row.columnCount()).isEqualTo(2);
        assertThat(Arrays.copyOfRange(row.bytes(), row.offset() + 4, row.offset() + 4 + value.length)).isEqualTo(value);
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new CommandComplete("SELECT 1"));
        assertThat(in.array().length).as("shrunk back").isEqualTo(16 * 1024);
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new ReadyForQuery((byte) 'I'));
    }

    @Test
    void anSslAnswerThenTheStartupRepliesReadInStep() throws IOException {
        byte[] replies = Samples.encode(new Authentication.Ok(), new ParameterStatus("server_version", "17.5"),
                new BackendKeyData(9, new byte[32]), new ReadyForQuery((byte) 'I'));
        byte[] stream = new byte[replies.length + 1];
        stream[0] = 'N';
        System.arraycopy(replies, 0, stream, 1, replies.length);
        BytesChannel channel = BytesChannel.oneByteAtATime(stream);
        ReadBuffer in = new ReadBuffer(64);

        assertThat(in.readSingleByte(channel)).isEqualTo('N');
        assertThat(in.bufferedBeyondMessage()).isZero();
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new Authentication.Ok());
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new ParameterStatus("server_version", "17.5"));
        assertThat(((BackendKeyData) BackendMessage.read(channel, in)).secretKey()).hasSize(32);
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new ReadyForQuery((byte) 'I'));
    }

    @Test
    void theEndOfStreamInsideAMessageIsEOFException() {
        byte[] whole = Samples.encode(new ParameterStatus("TimeZone", "UTC"));
        for (int cut = 0; cut < whole.length; cut++) {
            BytesChannel channel = BytesChannel.oneByteAtATime(Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> BackendMessage.read(channel, new ReadBuffer(8))).as("cut at %d", cut)
                    .isInstanceOf(EOFException.class);
        }
    }
}
