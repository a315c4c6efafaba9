package io.pgloom.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pgloom.internal.io.BytesChannel;
import io.pgloom.internal.io.ReadBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the reader does with bytes no server should send: decode them, or refuse them with a
 * {@link ReadBuffer.ProtocolViolation} or an {@link IOException}; never another exception, an
 * {@link OutOfMemoryError} or a hang. Every stream is reproducible from its seed, which a failure
 * names.
 */
class BackendMessageFuzzTest {

    private static final long SEED = 0x5EED_2024L;
    private static final String KNOWN_TAGS = "DdTENAtZ123nsIcKRSCvGH";

    /** How one stream came out: how many messages decoded, and what ended it. */
    record Outcome(int decoded, Throwable end) {
    }

    /**
     * Reads until the stream ends or is refused. Bounded by construction: each message takes at
     * least five bytes of a finite stream, and the channel reports the end of stream.
     */
    static Outcome readAll(byte[] stream, int chunk) {
        BytesChannel channel = BytesChannel.inChunks(stream, chunk);
        ReadBuffer in = new ReadBuffer(64);
        int decoded = 0;
        while (true) {
            try {
                BackendMessage m = BackendMessage.read(channel, in);
                assertThat(m).isNotNull();
                decoded++;
                assertThat(decoded).isLessThanOrEqualTo(stream.length / 5);
            } catch (ReadBuffer.ProtocolViolation | IOException expected) {
                return new Outcome(decoded, expected);
            } catch (Throwable t) {
                return new Outcome(decoded, t);
            }
        }
    }

    static void assertRefusedCleanly(Outcome outcome, String what) {
        Throwable end = outcome.end();
        if (!(end instanceof ReadBuffer.ProtocolViolation) && !(end instanceof IOException)) {
            fail(what + " ended with " + end, end);
        }
    }

    @Test
    void uniformRandomBytesAreDecodedOrRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 2000; i++) {
                Random random = new Random(SEED + i);
                byte[] stream = Samples.bytes(random, random.nextInt(300));
                assertRefusedCleanly(readAll(stream, 1 + random.nextInt(16)), "uniform stream seed " + (SEED + i));
            }
        });
    }

    /**
     * Random bodies behind a known tag and a plausible length, so that the decoders, not just the
     * framing, see garbage.
     */
    @Test
    void garbageBodiesBehindKnownTagsAreDecodedOrRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int decodedSome = 0;
            for (int i = 0; i < 3000; i++) {
                long seed = SEED * 31 + i;
                Random random = new Random(seed);
                ByteBuffer stream = ByteBuffer.allocate(4096);
                while (stream.remaining() > 80 && random.nextInt(8) != 0) {
                    int bodyLength = random.nextInt(64);
                    stream.put((byte) KNOWN_TAGS.charAt(random.nextInt(KNOWN_TAGS.length())));
                    stream.putInt(4 + bodyLength + (random.nextInt(10) == 0 ? random.nextInt(9) - 4 : 0));
                    for (int b = 0; b < bodyLength; b++) {
                        // Mostly small bytes: zeros end strings and counts stay plausible.
                        stream.put((byte) (random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(3)));
                    }
                }
                byte[] bytes = java.util.Arrays.copyOf(stream.array(), stream.position());
                Outcome outcome = readAll(bytes, 1 + random.nextInt(64));
                assertRefusedCleanly(outcome, "known-tag stream seed " + seed);
                decodedSome += outcome.decoded() > 0 ? 1 : 0;
            }
            assertThat(decodedSome).as("streams whose first message decoded").isGreaterThan(100);
        });
    }

    /** Valid streams with a few bytes flipped, cut short or shuffled. */
    @Test
    void mutatedValidStreamsAreDecodedOrRefused() {
        List<BackendMessage> small = Samples.backend().stream().filter(m -> Samples.encode(m).length < 2048).toList();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 2000; i++) {
                long seed = SEED * 17 + i;
                Random random = new Random(seed);
                BackendMessage[] messages = new BackendMessage[1 + random.nextInt(6)];
                for (int m = 0; m < messages.length; m++) {
                    messages[m] = small.get(random.nextInt(small.size()));
                }
                byte[] bytes = Samples.encode(messages);
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextBoolean()) {
                    bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                }
                assertRefusedCleanly(readAll(bytes, 1 + random.nextInt(32)), "mutated stream seed " + seed);
            }
        });
    }

    // ---- specific refusals ----

    @ParameterizedTest
    @ValueSource(chars = {'Z', 'C', 'S', 'R', 'K', 't', '1', 'I', 'v', 'G'})
    void aHugeLengthOnAControlMessageIsRefusedBeforeAllocating(char tag) {
        byte[] header = ByteBuffer.allocate(5).put((byte) tag).putInt(0x7FFF_FFFF).array();
        BytesChannel channel = BytesChannel.oneByteAtATime(header);
        ReadBuffer in = new ReadBuffer(64);

        assertThatThrownBy(() -> BackendMessage.read(channel, in))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                .hasMessageContaining("impossible length 2147483647");
        assertThat(in.array().length).as("buffer capacity").isEqualTo(64);
        assertThat(channel.consumed()).as("bytes read").isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(chars = {'D', 'd', 'T', 'E', 'N', 'A'})
    void aLengthPastOneGibibyteIsRefusedEvenForDataMessages(char tag) {
        byte[] header = ByteBuffer.allocate(5).put((byte) tag).putInt(BackendMessage.LARGE + 5).array();
        ReadBuffer in = new ReadBuffer(64);

        assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(header), in))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class);
        assertThat(in.array().length).isEqualTo(64);
    }

    @Test
    void readyForQueryWithAnUnknownStatusIsAProtocolViolation() {
        for (byte status : new byte[]{'X', 'i', 0, (byte) 0xFF}) {
            byte[] bytes = {'Z', 0, 0, 0, 5, status};
            assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(bytes), new ReadBuffer(16)))
                    .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                    .hasMessageContaining("ReadyForQuery with unknown status");
        }
    }

    @Test
    void readyForQueryWithoutItsStatusIsAProtocolViolation() {
        byte[] bytes = {'Z', 0, 0, 0, 4};
        assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(bytes), new ReadBuffer(16)))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                .hasMessageContaining("shorter than its fields");
    }

    @Test
    void everyUnknownTagIsRefusedBeforeItsBodyIsAwaited() {
        for (int tag = 0; tag < 256; tag++) {
            if (KNOWN_TAGS.indexOf(tag) >= 0) {
                continue;
            }
            // The length promises a body that never comes: refusing must not wait for it.
            byte[] header = ByteBuffer.allocate(5).put((byte) tag).putInt(100).array();
            String named = tag >= 0x20 && tag < 0x7F ? "'" + (char) tag + "'" : String.format("0x%02x", tag);
            assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(header), new ReadBuffer(16)))
                    .as("tag %d", tag)
                    .isInstanceOf(ReadBuffer.ProtocolViolation.class)
                    .hasMessageContaining("unexpected backend message type " + named);
        }
    }

    @Test
    void decodeRefusesAnUnknownTagToo() throws IOException {
        ReadBuffer in = new ReadBuffer(16);
        in.nextMessage(BytesChannel.whole(new byte[]{'W', 0, 0, 0, 4}), tag -> 0);

        assertThatThrownBy(() -> BackendMessage.decode((byte) 'W', in))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class).hasMessageContaining("'W'");
    }

    @Test
    void aSecretKeyOverTheProtocolsMaximumIsRefused() {
        byte[] bytes = Samples.encode(new BackendKeyData(1, new byte[257]));
        assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(bytes), new ReadBuffer(16)))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class);
    }

    @Test
    void aBackendKeyDataWithoutAProcessIdIsRefused() {
        byte[] bytes = {'K', 0, 0, 0, 6, 0, 1};
        assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(bytes), new ReadBuffer(16)))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class);
    }

    @Test
    void aBodyForAMessageThatHasNoneIsRefused() {
        for (char tag : "123nsIc".toCharArray()) {
            byte[] bytes = {(byte) tag, 0, 0, 0, 5, 0};
            assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(bytes), new ReadBuffer(16)))
                    .as("tag %s", tag).isInstanceOf(ReadBuffer.ProtocolViolation.class);
        }
    }

    @Test
    void aParameterDescriptionLongerThan65535TypesIsRefused() {
        byte[] header = ByteBuffer.allocate(5).put((byte) 't').putInt(4 + 2 + 4 * 65535 + 1).array();
        assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(header), new ReadBuffer(16)))
                .isInstanceOf(ReadBuffer.ProtocolViolation.class);
    }

    @Test
    void countsThatPromiseMoreThanTheBodyHoldsAreRefused() {
        List<byte[]> lies = List.of(
                new byte[]{'T', 0, 0, 0, 6, (byte) 0xFF, (byte) 0xFF},                 // 65535 fields, no bytes
                new byte[]{'t', 0, 0, 0, 10, 0, 2, 0, 0, 0, 23},                       // 2 types, 1 given
                new byte[]{'G', 0, 0, 0, 9, 0, 0, 3, 0, 1},                            // 3 formats, 1 given
                new byte[]{'v', 0, 0, 0, 12, 0, 0, 0, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                new byte[]{'v', 0, 0, 0, 12, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                new byte[]{'R', 0, 0, 0, 10, 0, 0, 0, 10, 'x', 0},                     // SASL list not ended
                new byte[]{'R', 0, 0, 0, 10, 0, 0, 0, 5, 1, 2},                        // MD5 salt of 2 bytes
                new byte[]{'E', 0, 0, 0, 7, 'M', 'x', 'y'},                            // unterminated field
                new byte[]{'E', 0, 0, 0, 4},                                           // no terminator at all
                new byte[]{'A', 0, 0, 0, 10, 0, 0, 0, 1, 'c', 0});                     // payload missing
        for (byte[] lie : lies) {
            assertThatThrownBy(() -> BackendMessage.read(BytesChannel.oneByteAtATime(lie), new ReadBuffer(8)))
                    .as("message %s", (char) lie[0])
                    .isInstanceOf(ReadBuffer.ProtocolViolation.class);
        }
    }

    @Test
    void bytesAfterTheFieldsOfAMessageAreSkippedNotMisread() throws IOException {
        byte[] bytes = {'C', 0, 0, 0, 11, 'B', 'E', 'G', 'I', 'N', 0, 'x', 'Z', 0, 0, 0, 5, 'I'};
        BytesChannel channel = BytesChannel.oneByteAtATime(bytes);
        ReadBuffer in = new ReadBuffer(8);

        assertThat(BackendMessage.read(channel, in)).isEqualTo(new CommandComplete("BEGIN"));
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new ReadyForQuery((byte) 'I'));
    }

    /**
     * A length of up to 1 GiB is accepted for a DataRow, and ReadBuffer allocates that much as
     * soon as it has read the five header bytes, before any of the body arrives. Five bytes of
     * garbage (or of a hostile server) cost 1 GiB of heap; on a small heap, an OutOfMemoryError.
     */
    @Test
    void anAnnouncedGibibyteThatNeverArrivesDoesNotAllocateAGibibyte() {
        byte[] stream = ByteBuffer.allocate(16).put((byte) 'D').putInt(BackendMessage.LARGE).array();
        ReadBuffer in = new ReadBuffer(64);

        assertThatThrownBy(() -> BackendMessage.read(BytesChannel.whole(stream), in)).isInstanceOf(EOFException.class);
        assertThat(in.array().length).isLessThan(1024 * 1024);
    }
}
