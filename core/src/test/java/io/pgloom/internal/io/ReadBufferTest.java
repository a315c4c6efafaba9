package io.pgloom.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader's framing, fed through channels that split the stream at every possible place.
 * Frames here are raw (tag, length, body): the decoders of the wire layer are tested on top of
 * this in {@code io.pgloom.internal.wire}.
 */
class ReadBufferTest {

    private static final ReadBuffer.LengthLimit ANY = tag -> 16 * 1024 * 1024;

    record Frame(byte tag, byte[] body) {
    }

    static byte[] frame(int tag, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.put((byte) tag).putInt(4 + body.length).put(body);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A reproducible mix of frames: empty, small, a few larger than the reader's initial buffer. */
    static List<Frame> randomFrames(long seed, int count) {
        Random random = new Random(seed);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = switch (random.nextInt(20)) {
                case 0 -> 0;
                case 1 -> 1000 + random.nextInt(5000);
                default -> random.nextInt(40);
            };
            byte[] body = new byte[size];
            random.nextBytes(body);
            frames.add(new Frame((byte) ('A' + random.nextInt(26)), body));
        }
        return frames;
    }

    static byte[] encode(List<Frame> frames) {
        return concat(frames.stream().map(f -> frame(f.tag(), f.body())).toArray(byte[][]::new));
    }

    static List<Frame> readAll(PgChannel channel, ReadBuffer in, int count) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte tag = in.nextMessage(channel, ANY);
            assertThat(in.tag()).isEqualTo(tag);
            assertThat(in.bodyEnd() - in.position()).isEqualTo(in.remaining());
            frames.add(new Frame(tag, in.readBytes(in.remaining())));
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 64, 4096, Integer.MAX_VALUE})
    void framesReadThroughAnyChunkSizeMatchWhatWasSent(int chunk) throws IOException {
        List<Frame> sent = randomFrames(20240611L, 600);
        BytesChannel channel = BytesChannel.inChunks(encode(sent), chunk);
        ReadBuffer in = new ReadBuffer(256);

        List<Frame> received = readAll(channel, in, sent.size());

        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i).tag()).as("tag of frame %d", i).isEqualTo(sent.get(i).tag());
            assertThat(received.get(i).body()).as("body of frame %d", i).isEqualTo(sent.get(i).body());
        }
        assertThat(channel.consumed()).isEqualTo(encode(sent).length);
        assertThatThrownBy(() -> in.nextMessage(channel, ANY)).isInstanceOf(EOFException.class);
    }

    /** A channel that says, every other time it is asked, that nothing has arrived. */
    private static final class SometimesIdle implements PgChannel {
        final BytesChannel bytes;
        int asked;

        SometimesIdle(BytesChannel bytes) {
            this.bytes = bytes;
        }

        @Override
        public boolean nothingArrived() {
            return ++asked % 2 == 0;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return bytes.read(dst);
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            bytes.write(src);
        }

        @Override
        public boolean isTls() {
            return false;
        }

        @Override
        public void close() {
            bytes.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096})
    void workWhileWaitingRunsOnlyWhenNothingArrivedAndLeavesTheFramesIntact(int chunk) throws IOException {
        List<Frame> sent = randomFrames(20261204L, 300);
        SometimesIdle channel = new SometimesIdle(BytesChannel.inChunks(encode(sent), chunk));
        ReadBuffer in = new ReadBuffer(256);
        int[] steps = {0};
        int[] askedAtStep = {0};
        in.whileWaiting(new ReadBuffer.IdleWork() {
            @Override
            public boolean pending() {
                return steps[0] < 5;
            }

            @Override
            public void step() {
                assertThat(channel.asked % 2).as("a step follows a \"nothing arrived\"").isZero();
                assertThat(channel.asked).as("the channel is asked again before each step").isGreaterThan(askedAtStep[0]);
                askedAtStep[0] = channel.asked;
                steps[0]++;
            }
        });

        List<Frame> received = readAll(channel, in, sent.size());

        assertThat(steps[0]).isEqualTo(5);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i).body()).as("body of frame %d", i).isEqualTo(sent.get(i).body());
        }
        in.whileWaiting(null);
        int askedBefore = channel.asked;
        assertThatThrownBy(() -> in.nextMessage(channel, ANY)).isInstanceOf(EOFException.class);
        assertThat(channel.asked).as("no work, no asking").isEqualTo(askedBefore);
    }

    @Test
    void oneByteReadsDeliverEveryFieldTypeBigEndian() throws IOException {
        ByteBuffer body = ByteBuffer.allocate(64);
        body.put((byte) 0xFE).putShort((short) -2).putInt(0x01020304).putLong(0x8070605040302010L);
        body.put("héllo 𝄞\0".getBytes(StandardCharsets.UTF_8));
        body.put("rest".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = frame('X', Arrays.copyOf(body.array(), body.position()));
        BytesChannel channel = BytesChannel.oneByteAtATime(bytes);
        ReadBuffer in = new ReadBuffer(8);

        assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'X');
        assertThat(channel.reads()).isEqualTo(bytes.length);
        assertThat(in.readByte()).isEqualTo((byte) 0xFE);
        assertThat(in.readShort()).isEqualTo((short) -2);
        assertThat(in.readInt()).isEqualTo(0x01020304);
        assertThat(in.readLong()).isEqualTo(0x8070605040302010L);
        assertThat(in.readCString()).isEqualTo("héllo 𝄞");
        assertThat(in.readRemainingString()).isEqualTo("rest");
        assertThat(in.remaining()).isZero();
    }

    @Test
    void viewCoversExactlyTheBody() throws IOException {
        byte[] body = "view me".getBytes(StandardCharsets.US_ASCII);
        BytesChannel channel = BytesChannel.oneByteAtATime(concat(frame('a', new byte[3]), frame('b', body)));
        ReadBuffer in = new ReadBuffer(4);
        in.nextMessage(channel, ANY);
        in.nextMessage(channel, ANY);

        assertThat(Arrays.copyOfRange(in.array(), in.position(), in.bodyEnd())).isEqualTo(body);
    }

    @Test
    void whatADecoderLeavesUnreadIsSkipped() throws IOException {
        byte[] stream = concat(frame('a', "ignored\0trailing".getBytes(StandardCharsets.US_ASCII)),
                frame('b', new byte[]{1, 2, 3, 4}), frame('c', new byte[0]));
        for (int chunk : new int[]{1, 3, 1000}) {
            BytesChannel channel = BytesChannel.inChunks(stream, chunk);
            ReadBuffer in = new ReadBuffer(4);

            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'a');
            in.readByte();
            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'b');
            assertThat(in.readInt()).isEqualTo(0x01020304);
            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'c');
            assertThat(in.remaining()).isZero();
        }
    }

    @Test
    void aMessageLargerThanTheBufferGrowsItAndTheNextSmallOneShrinksItBack() throws IOException {
        byte[] big = new byte[1024 * 1024];
        new Random(7).nextBytes(big);
        byte[] stream = concat(frame('Z', new byte[]{'I'}), frame('D', big), frame('Z', new byte[]{'T'}),
                frame('C', "SELECT 1\0".getBytes(StandardCharsets.US_ASCII)));
        BytesChannel channel = BytesChannel.oneByteAtATime(stream);
        ReadBuffer in = new ReadBuffer(1024);

        assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'Z');
        assertThat(in.readByte()).isEqualTo((byte) 'I');

        assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'D');
        assertThat(in.array().length).isGreaterThanOrEqualTo(5 + big.length);
        assertThat(in.remaining()).isEqualTo(big.length);
        assertThat(Arrays.copyOfRange(in.array(), in.position(), in.bodyEnd())).isEqualTo(big);

        assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'Z');
        assertThat(in.readByte()).isEqualTo((byte) 'T');
        assertThat(in.array().length).as("capacity after a small message").isEqualTo(1024);

        assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'C');
        assertThat(in.readCString()).isEqualTo("SELECT 1");
    }

    @Test
    void aLargeMessageSkippedWithoutReadingItsBodyDoesNotDesynchronizeTheStream() throws IOException {
        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 'x');
        byte[] stream = concat(frame('D', big), frame('Z', new byte[]{'E'}));
        for (int chunk : new int[]{1, 8192, Integer.MAX_VALUE}) {
            BytesChannel channel = BytesChannel.inChunks(stream, chunk);
            ReadBuffer in = new ReadBuffer(512);

            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'D');
            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'Z');
            assertThat(in.readByte()).isEqualTo((byte) 'E');
        }
    }

    @Test
    void readSingleByteTakesOnlyTheSslAnswerFromAOneByteChannel() throws IOException {
        BytesChannel channel = BytesChannel.oneByteAtATime(new byte[]{'S', 0x16, 0x03, 0x01});
        ReadBuffer in = new ReadBuffer(64);

        assertThat(in.readSingleByte(channel)).isEqualTo('S');
        assertThat(in.bufferedBeyondMessage()).isZero();
        assertThat(channel.consumed()).isEqualTo(1);
    }

    @Test
    void readSingleByteReportsBytesThatCameWithTheAnswer() throws IOException {
        // What Startup's CVE-2021-23222 guard relies on: the extra bytes are visible at once.
        byte[] extra = frame('R', new byte[]{0, 0, 0, 0});
        BytesChannel channel = BytesChannel.whole(concat(new byte[]{'S'}, extra));
        ReadBuffer in = new ReadBuffer(64);

        assertThat(in.readSingleByte(channel)).isEqualTo('S');
        assertThat(in.bufferedBeyondMessage()).isEqualTo(extra.length);
    }

    @Test
    void readSingleByteThenMessagesContinueInStep() throws IOException {
        byte[] stream = concat(new byte[]{'N'}, frame('R', new byte[]{0, 0, 0, 3}), new byte[]{'S'},
                frame('Z', new byte[]{'I'}));
        for (int chunk : new int[]{1, 2, 6, Integer.MAX_VALUE}) {
            BytesChannel channel = BytesChannel.inChunks(stream, chunk);
            ReadBuffer in = new ReadBuffer(16);

            assertThat(in.readSingleByte(channel)).isEqualTo('N');
            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'R');
            assertThat(in.readInt()).isEqualTo(3);
            assertThat(in.readSingleByte(channel)).isEqualTo('S');
            assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) 'Z');
            assertThat(in.readByte()).isEqualTo((byte) 'I');
            assertThat(in.readSingleByte(channel)).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void readSingleByteAtTheEndOfStreamIsMinusOne() throws IOException {
        assertThat(new ReadBuffer(4).readSingleByte(BytesChannel.oneByteAtATime(new byte[0]))).isEqualTo(-1);
    }

    @Test
    void theEndOfStreamAnywhereInAMessageIsEOFException() {
        byte[] whole = frame('C', "INSERT 0 1\0".getBytes(StandardCharsets.US_ASCII));
        for (int cut = 0; cut < whole.length; cut++) {
            BytesChannel channel = BytesChannel.oneByteAtATime(Arrays.copyOf(whole, cut));
            ReadBuffer in = new ReadBuffer(4);
            assertThatThrownBy(() -> in.nextMessage(channel, ANY)).as("cut at %d", cut)
                    .isInstanceOf(EOFException.class);
        }
    }

    @Test
    void theEndOfStreamInASecondMessageStillDeliversTheFirst() throws IOException {
        byte[] stream = concat(frame('1', new byte[0]), Arrays.copyOf(frame('D', new byte[100]), 50));
        BytesChannel channel = BytesChannel.oneByteAtATime(stream);
        ReadBuffer in = new ReadBuffer(4);

        assertThat(in.nextMessage(channel, ANY)).isEqualTo((byte) '1');
        assertThatThrownBy(() -> in.nextMessage(channel, ANY)).isInstanceOf(EOFException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 3})
    void aLengthBelowFourIsAProtocolViolation(int length) {
        byte[] header = ByteBuffer.allocate(5 + 16).put((byte) 'C').putInt(length).array();
        ReadBuffer in = new ReadBuffer(64);

        assertThatThrownBy(() -> in.nextMessage(BytesChannel.oneByteAtATime(header), ANY))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                .hasMessageContaining("'C'")
                .hasMessageContaining("impossible length " + length);
    }

    @Test
    void aLengthAboveTheCallersLimitIsRefusedBeforeReadingOrAllocating() {
        byte[] header = ByteBuffer.allocate(5).put((byte) 'Z').putInt(Integer.MAX_VALUE).array();
        BytesChannel channel = BytesChannel.oneByteAtATime(header);
        ReadBuffer in = new ReadBuffer(64);

        assertThatThrownBy(() -> in.nextMessage(channel, tag -> 1))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                .hasMessageContaining("impossible length 2147483647");
        assertThat(in.array().length).isEqualTo(64);
        assertThat(channel.consumed()).isEqualTo(5);
    }

    @Test
    void theLimitIsInclusiveAndAppliesToTheBody() throws IOException {
        ReadBuffer.LengthLimit three = tag -> 3;
        ReadBuffer in = new ReadBuffer(64);
        assertThat(in.nextMessage(BytesChannel.whole(frame('x', new byte[3])), three)).isEqualTo((byte) 'x');

        assertThatThrownBy(() -> new ReadBuffer(64).nextMessage(BytesChannel.whole(frame('x', new byte[4])), three))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class);
    }

    @Test
    void readingPastTheBodyIsAProtocolViolationNotAnIndexError() throws IOException {
        // The bytes after the body belong to the next message: a reader must never see them.
        byte[] stream = concat(frame('K', new byte[]{1, 2}), frame('Z', new byte[]{'I', 'I', 'I', 'I', 0}));
        List<Function<ReadBuffer, Object>> readers = List.of(
                ReadBuffer::readInt, ReadBuffer::readLong, in -> in.readBytes(3), in -> in.readBytes(-1),
                ReadBuffer::readCString, in -> { in.skip(3); return null; });
        for (Function<ReadBuffer, Object> reader : readers) {
            ReadBuffer in = new ReadBuffer(64);
            in.nextMessage(BytesChannel.whole(stream), ANY);
            assertThatThrownBy(() -> reader.apply(in)).isInstanceOf(ReadBuffer.ProtocolViolation.class)
                    .hasMessageContaining("'K'");
        }
    }

    @Test
    void aCStringWithoutTerminatorIsAProtocolViolation() throws IOException {
        ReadBuffer in = new ReadBuffer(64);
        in.nextMessage(BytesChannel.whole(frame('S', "no terminator".getBytes(StandardCharsets.US_ASCII))), ANY);

        assertThatThrownBy(in::readCString).isInstanceOf(ReadBuffer.ProtocolViolation.class)
                .hasMessageContaining("unterminated");
    }

    @Test
    void aNonPrintableTagIsNamedInHex() {
        byte[] header = ByteBuffer.allocate(5).put((byte) 0x01).putInt(-5).array();
        assertThatThrownBy(() -> new ReadBuffer(8).nextMessage(BytesChannel.whole(header), ANY))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                .hasMessageContaining("0x01");
    }
}
