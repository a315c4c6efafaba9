package io.pgloom.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgloom.internal.io.BytesChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Frontend messages with a decoder (the fake server's side) round-trip; those without one are
 * checked against the bytes the protocol documentation gives.
 */
class FrontendMessageRoundTripTest {

    private static final ReadBuffer.LengthLimit ANY = tag -> WriteBuffer.MAX_MESSAGE_LENGTH;

    static Stream<Arguments> samples() {
        Random random = new Random(3);
        byte[][] manyValues = new byte[65535][];
        for (int i = 0; i < manyValues.length; i++) {
            manyValues[i] = i % 3 == 0 ? null : i % 3 == 1 ? new byte[0] : new byte[]{(byte) i};
        }
        int[] manyOids = new int[65535];
        Arrays.setAll(manyOids, i -> i * 7);
        List<FrontendMessage> all = List.of(
                new Query("SELECT 1"),
                new Query(""),
                new Query("SELECT '" + Samples.UNICODE + "'"),
                new Parse("", "SELECT $1"),
                new Parse("s1", "INSERT INTO t VALUES ($1, $2)", new int[]{23, 25}),
                new Parse(Samples.UNICODE, "", manyOids),
                new Bind("", "", new short[0], new byte[0][], new short[0]),
                new Bind("portal", "stmt", new short[]{1}, new byte[][]{null, new byte[0], {1, 2, 3}},
                        new short[]{0, 1}),
                new Bind(Samples.FOUR_BYTE, "s", new short[]{0, 1, 1}, manyValues, new short[]{1}),
                new Bind("", "", new short[]{1}, new byte[][]{Samples.bytes(random, 1024 * 1024)}, new short[0]),
                new Describe((byte) 'S', "s1"),
                Describe.portal(""),
                Describe.statement(Samples.UNICODE),
                new Execute("", 0),
                new Execute("p", Integer.MAX_VALUE),
                new Execute(Samples.UNICODE, -1),
                new Close((byte) 'P', ""),
                Close.statement("s99"),
                new CopyData(new byte[0]),
                new CopyData(Samples.bytes(random, 70_000)));
        return all.stream().map(m -> Arguments.of(Samples.describe(m), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesToAnEqualMessage(String name, FrontendMessage sent) throws IOException {
        WriteBuffer out = new WriteBuffer(64);
        sent.encode(out);
        byte[] bytes = out.toByteArray();
        ReadBuffer in = new ReadBuffer(256);

        byte tag = in.nextMessage(BytesChannel.inChunks(bytes, 4096), ANY);
        FrontendMessage received = switch (tag) {
            case 'Q' -> Query.decode(in);
            case 'P' -> Parse.decode(in);
            case 'B' -> Bind.decode(in);
            case 'D' -> Describe.decode(in);
            case 'E' -> Execute.decode(in);
            case 'C' -> Close.decode(in);
            case 'd' -> CopyData.decode(in);
            default -> throw new AssertionError("unexpected tag " + (char) tag);
        };

        assertSameRecord(received, sent);
        assertThat(in.remaining()).as("body left unread by the decoder").isZero();
        WriteBuffer again = new WriteBuffer(64);
        received.encode(again);
        assertThat(again.toByteArray()).as("re-encoded").isEqualTo(bytes);
    }

    static Stream<Arguments> startupSamples() {
        Map<String, String> typical = new LinkedHashMap<>();
        typical.put("user", "app");
        typical.put("database", "shop");
        typical.put("client_encoding", "UTF8");
        typical.put("application_name", Samples.UNICODE);
        typical.put("options", "");
        return Stream.of(
                Arguments.of(new StartupMessage(StartupMessage.PROTOCOL_3_0, typical)),
                Arguments.of(new StartupMessage(StartupMessage.PROTOCOL_3_0, Map.of())),
                Arguments.of(new StartupMessage(3 << 16 | 2, Map.of("user", ""))));
    }

    @ParameterizedTest
    @MethodSource("startupSamples")
    void startupMessageDecodesToAnEqualMessage(StartupMessage sent) throws IOException {
        WriteBuffer out = new WriteBuffer(16);
        sent.encode(out);
        byte[] untagged = out.toByteArray();
        assertThat(ByteBuffer.wrap(untagged).getInt()).isEqualTo(untagged.length);
        assertThat(untagged[untagged.length - 1]).as("terminator").isZero();

        StartupMessage received = StartupMessage.decodeBody(untaggedBody(untagged));

        assertThat(received.protocolVersion()).isEqualTo(sent.protocolVersion());
        assertThat(received.parameters()).containsExactlyEntriesOf(sent.parameters());
    }

    @Test
    void startupMessageStartsWithVersionThreeZero() {
        WriteBuffer out = new WriteBuffer(16);
        new StartupMessage(StartupMessage.PROTOCOL_3_0, Map.of("user", "u")).encode(out);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{0, 0, 0, 16, 0, 3, 0, 0, 'u', 's', 'e', 'r', 0, 'u', 0, 0});
    }

    /** Bind's allocation-free form and its record form must put the same bytes on the wire. */
    @Test
    void bindWrittenFromValuesEqualsTheRecordForm() {
        byte[][] values = {{1, 2, 3, 4}, null, new byte[0], "é𝄞".getBytes(StandardCharsets.UTF_8), null};
        Bind.Values writer = new Bind.Values() {
            @Override
            public int count() {
                return values.length;
            }

            @Override
            public boolean write(int index, WriteBuffer out) {
                if (values[index] == null) {
                    out.writeBytes(new byte[]{9, 9, 9}); // written, then dropped for a NULL
                    return false;
                }
                out.writeBytes(values[index]);
                return true;
            }
        };
        short[] parameterFormats = {1};
        short[] resultFormats = {1, 0};

        WriteBuffer hot = new WriteBuffer(8);
        Bind.encode(hot, "stmt", parameterFormats, writer, resultFormats);
        WriteBuffer record = new WriteBuffer(8);
        new Bind("", "stmt", parameterFormats, values, resultFormats).encode(record);

        assertThat(hot.toByteArray()).isEqualTo(record.toByteArray());
    }

    @Test
    void executeOfTheUnnamedPortalEqualsTheRecordForm() {
        WriteBuffer hot = new WriteBuffer(8);
        Execute.encodeUnnamed(hot);
        WriteBuffer record = new WriteBuffer(8);
        new Execute("", 0).encode(record);

        assertThat(hot.toByteArray()).isEqualTo(record.toByteArray())
                .isEqualTo(new byte[]{'E', 0, 0, 0, 9, 0, 0, 0, 0, 0});
    }

    // ---- messages the server side never needs to decode: the documented bytes ----

    @Test
    void bodilessMessagesAreTagAndLengthFour() {
        WriteBuffer out = new WriteBuffer(4);
        Sync.encode(out);
        Flush.encode(out);
        Terminate.encode(out);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{'S', 0, 0, 0, 4, 'H', 0, 0, 0, 4, 'X', 0, 0, 0, 4});
    }

    @Test
    void sslRequestIsTheMagicCode() {
        WriteBuffer out = new WriteBuffer(4);
        new SSLRequest().encode(out);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F});
    }

    @Test
    void cancelRequestCarriesAFourByteKey() {
        WriteBuffer out = new WriteBuffer(4);
        new CancelRequest(0x01020304, new byte[]{5, 6, 7, 8}).encode(out);

        assertThat(out.toByteArray()).isEqualTo(
                new byte[]{0, 0, 0, 16, 0x04, (byte) 0xD2, 0x16, 0x2E, 1, 2, 3, 4, 5, 6, 7, 8});
    }

    @Test
    void cancelRequestCarriesA256ByteKey() {
        byte[] key = Samples.bytes(new Random(256), 256);
        WriteBuffer out = new WriteBuffer(4);
        new CancelRequest(-7, key).encode(out);

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        assertThat(b.getInt()).isEqualTo(12 + 256);
        assertThat(b.getInt()).isEqualTo(CancelRequest.CODE);
        assertThat(b.getInt()).isEqualTo(-7);
        byte[] sentKey = new byte[b.remaining()];
        b.get(sentKey);
        assertThat(sentKey).isEqualTo(key);
    }

    @Test
    void passwordMessageIsACString() {
        WriteBuffer out = new WriteBuffer(4);
        new PasswordMessage("pä").encode(out);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{'p', 0, 0, 0, 8, 'p', (byte) 0xC3, (byte) 0xA4, 0});
        assertThat(new PasswordMessage("secret").toString()).doesNotContain("secret");
    }

    @Test
    void saslInitialResponseCarriesTheMechanismAndALengthPrefixedMessage() {
        WriteBuffer out = new WriteBuffer(4);
        new SASLInitialResponse("SCRAM-SHA-256", "n,,n=,r=abc".getBytes(StandardCharsets.US_ASCII)).encode(out);
        new SASLInitialResponse("X", null).encode(out);

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        assertThat(b.get()).isEqualTo((byte) 'p');
        assertThat(b.getInt()).isEqualTo(4 + 14 + 4 + 11);
        byte[] mechanism = new byte[14];
        b.get(mechanism);
        assertThat(mechanism).isEqualTo("SCRAM-SHA-256\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(b.getInt()).isEqualTo(11);
        b.position(b.position() + 11);
        assertThat(b.get()).isEqualTo((byte) 'p');
        assertThat(b.getInt()).isEqualTo(4 + 2 + 4);
        assertThat(b.get()).isEqualTo((byte) 'X');
        assertThat(b.get()).isZero();
        assertThat(b.getInt()).as("no initial response").isEqualTo(-1);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void saslResponseIsTheRawMessage() {
        WriteBuffer out = new WriteBuffer(4);
        new SASLResponse(new byte[]{'c', '=', 'x'}).encode(out);

        assertThat(out.toByteArray()).isEqualTo(new byte[]{'p', 0, 0, 0, 7, 'c', '=', 'x'});
    }

    /** Puts a synthetic tag in front of an untagged message so the reader frames it. */
    static ReadBuffer untaggedBody(byte[] untagged) throws IOException {
        byte[] tagged = new byte[untagged.length + 1];
        System.arraycopy(untagged, 0, tagged, 1, untagged.length);
        ReadBuffer in = new ReadBuffer(64);
        in.nextMessage(BytesChannel.oneByteAtATime(tagged), ANY);
        return in;
    }

    static void assertSameRecord(Object actual, Object expected) {
        assertThat(actual).isExactlyInstanceOf(expected.getClass());
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            try {
                assertThat(c.getAccessor().invoke(actual)).as(c.getName()).isEqualTo(c.getAccessor().invoke(expected));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}
