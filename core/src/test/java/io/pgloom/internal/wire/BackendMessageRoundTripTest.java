package io.pgloom.internal.wire;

import static io.pgloom.internal.wire.Samples.assertSameMessage;
import static io.pgloom.internal.wire.Samples.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgloom.internal.io.BytesChannel;
import io.pgloom.internal.io.ReadBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend message encodes as the server would and decodes back, through a ReadBuffer over
 * a channel, to an equal value that consumed its whole body and re-encodes to the same bytes.
 */
class BackendMessageRoundTripTest {

    static Stream<Arguments> samples() {
        return Samples.backend().stream().map(m -> Arguments.of(Samples.describe(m), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesToAnEqualMessage(String name, BackendMessage sent) throws IOException {
        byte[] bytes = encode(sent);
        BytesChannel channel = BytesChannel.inChunks(bytes, 8192);
        ReadBuffer in = new ReadBuffer(512);

        BackendMessage received = BackendMessage.read(channel, in);

        assertSameMessage(received, sent);
        assertThat(in.remaining()).as("body left unread by the decoder").isZero();
        assertThat(channel.consumed()).isEqualTo(bytes.length);
        if (sent instanceof ErrorResponse || sent instanceof NoticeResponse) {
            // Field order is free (the record holds a Map): only the size must match.
            assertThat(encode(received)).as("re-encoded").hasSameSizeAs(bytes);
        } else {
            assertThat(encode(received)).as("re-encoded").isEqualTo(bytes);
        }
    }

    @Test
    void theSamplesCoverEveryBackendMessageType() {
        Set<Class<?>> expected = new HashSet<>();
        for (Class<?> c : BackendMessage.class.getPermittedSubclasses()) {
            if (c.isInterface()) {
                expected.addAll(List.of(c.getPermittedSubclasses()));
            } else {
                expected.add(c);
            }
        }
        Set<Class<?>> covered = new HashSet<>();
        Samples.backend().forEach(m -> covered.add(m.getClass()));

        assertThat(covered).containsAll(expected);
    }

    @Test
    void theComparisonSeesADifferenceInsideAnArray() {
        // A check on the checker: arrays must be compared by content, not identity.
        BackendMessage a = new ParameterDescription(new int[]{23, 25});
        assertSameMessage(new ParameterDescription(new int[]{23, 25}), a);
        assertThatThrownBy(() -> assertSameMessage(new ParameterDescription(new int[]{23, 26}), a))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSameMessage(DataRow.of(new byte[]{1}), DataRow.of(new byte[]{2})))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void theDecodedMessageTypeFollowsTheAuthenticationCode() throws IOException {
        for (int code : new int[]{Authentication.GSS_CONTINUE, 1, 4, 6, 13, -1}) {
            ReadBuffer in = new ReadBuffer(64);
            byte[] bytes = ByteBuffer.allocate(9).put((byte) 'R').putInt(8).putInt(code).array();

            assertThat(BackendMessage.read(BytesChannel.whole(bytes), in))
                    .isEqualTo(new Authentication.Unsupported(code));
        }
    }

    @Test
    void unsupportedAuthenticationMethodsAreNamed() {
        assertThat(new Authentication.Unsupported(Authentication.GSS).methodName()).isEqualTo("GSSAPI");
        assertThat(new Authentication.Unsupported(Authentication.GSS_CONTINUE).methodName()).isEqualTo("GSSAPI");
        assertThat(new Authentication.Unsupported(Authentication.SSPI).methodName()).isEqualTo("SSPI");
        assertThat(new Authentication.Unsupported(Authentication.KERBEROS_V5).methodName()).isEqualTo("Kerberos V5");
        assertThat(new Authentication.Unsupported(99).methodName()).isEqualTo("method 99");
    }

    // ---- bytes from the protocol documentation, so encode and decode cannot agree on a mistake ----

    @Test
    void knownBytesDecodeAsTheProtocolDescribesThem() throws IOException {
        byte[] stream = concat(
                new byte[]{'R', 0, 0, 0, 8, 0, 0, 0, 0},                                // AuthenticationOk
                new byte[]{'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4},                   // MD5, salt 01020304
                new byte[]{'K', 0, 0, 0, 12, 0, 0, 0x30, 0x39, 0x0A, 0x0B, 0x0C, 0x0D}, // pid 12345
                new byte[]{'S', 0, 0, 0, 9, 'a', 0, 'b', 'c', 0},                       // ParameterStatus a=bc
                new byte[]{'T', 0, 0, 0, 26, 0, 1, 'n', 0, 0, 0, 0x40, 0, 0, 2, 0, 0, 0, 23, 0, 4,
                        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 1},      // RowDescription n int4
                new byte[]{'D', 0, 0, 0, 15, 0, 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        0, 0, 0, 1, 'x'},                                               // DataRow NULL, 'x'
                new byte[]{'C', 0, 0, 0, 13, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1', 0}, // CommandComplete
                new byte[]{'E', 0, 0, 0, 17, 'C', '4', '2', '6', '0', '1', 0, 'M', 'b', 'a', 'd', 0, 0},
                new byte[]{'Z', 0, 0, 0, 5, 'T'});
        BytesChannel channel = BytesChannel.oneByteAtATime(stream);
        ReadBuffer in = new ReadBuffer(8);

        assertThat(BackendMessage.read(channel, in)).isEqualTo(new Authentication.Ok());
        assertSameMessage(BackendMessage.read(channel, in), new Authentication.Md5Password(new byte[]{1, 2, 3, 4}));
        assertSameMessage(BackendMessage.read(channel, in), new BackendKeyData(12345, new byte[]{10, 11, 12, 13}));
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new ParameterStatus("a", "bc"));
        assertSameMessage(BackendMessage.read(channel, in), new RowDescription(new RowDescription.Field[]{
                new RowDescription.Field("n", 0x4000, (short) 2, 23, (short) 4, -1, (short) 1)}));
        assertSameMessage(BackendMessage.read(channel, in), DataRow.of(null, new byte[]{'x'}));
        assertThat(BackendMessage.read(channel, in)).isEqualTo(new CommandComplete("SELECT 1"));
        BackendMessage error = BackendMessage.read(channel, in);
        assertThat(((ErrorResponse) error).fields()).isEqualTo(Map.of('C', "42601", 'M', "bad"));
        assertThat(((ErrorResponse) error).sqlState()).isEqualTo("42601");
        ReadyForQuery ready = (ReadyForQuery) BackendMessage.read(channel, in);
        assertThat(ready.status()).isEqualTo((byte) 'T');
        assertThat(ready.inTransaction()).isTrue();
        assertThat(ready.failed()).isFalse();
    }

    @Test
    void messagesWithoutABodyEncodeAsTagAndLengthFour() {
        assertThat(encode(BindComplete.INSTANCE)).isEqualTo(new byte[]{'2', 0, 0, 0, 4});
        assertThat(encode(ParseComplete.INSTANCE)).isEqualTo(new byte[]{'1', 0, 0, 0, 4});
        assertThat(encode(CloseComplete.INSTANCE)).isEqualTo(new byte[]{'3', 0, 0, 0, 4});
        assertThat(encode(NoData.INSTANCE)).isEqualTo(new byte[]{'n', 0, 0, 0, 4});
        assertThat(encode(PortalSuspended.INSTANCE)).isEqualTo(new byte[]{'s', 0, 0, 0, 4});
        assertThat(encode(EmptyQueryResponse.INSTANCE)).isEqualTo(new byte[]{'I', 0, 0, 0, 4});
        assertThat(encode(CopyDone.INSTANCE)).isEqualTo(new byte[]{'c', 0, 0, 0, 4});
    }

    @Test
    void readyForQueryStatusesMeanWhatTheySay() {
        assertThat(new ReadyForQuery((byte) 'I').inTransaction()).isFalse();
        assertThat(new ReadyForQuery((byte) 'E').inTransaction()).isTrue();
        assertThat(new ReadyForQuery((byte) 'E').failed()).isTrue();
    }

    @Test
    void errorResponseFatalityFollowsTheUnlocalizedSeverity() {
        assertThat(new ErrorResponse(Map.of('S', "FATAL")).isFatal()).isTrue();
        assertThat(new ErrorResponse(Map.of('S', "PANIC")).isFatal()).isTrue();
        assertThat(new ErrorResponse(Map.of('S', "ERROR")).isFatal()).isFalse();
        // A localized 'S' does not matter when 'V' is there.
        assertThat(new ErrorResponse(Map.of('S', "FATAL", 'V', "ERROR")).isFatal()).isFalse();
        assertThat(new ErrorResponse(Map.of('S', "SCHWERWIEGEND", 'V', "FATAL")).isFatal()).isTrue();
    }

    @Test
    void dataRowOfLaysOutLengthsAndNulls() {
        DataRow row = DataRow.of(new byte[]{5, 6}, null, new byte[0]);

        assertThat(row.columnCount()).isEqualTo(3);
        assertThat(java.util.Arrays.copyOfRange(row.bytes(), row.offset(), row.offset() + row.length()))
                .isEqualTo(new byte[]{0, 0, 0, 2, 5, 6, -1, -1, -1, -1, 0, 0, 0, 0});
    }

    @Test
    void aDecodedDataRowIsAViewIntoTheReadersBuffer() throws IOException {
        byte[] value = "value".getBytes(StandardCharsets.US_ASCII);
        ReadBuffer in = new ReadBuffer(64);

        DataRow row = (DataRow) BackendMessage.read(BytesChannel.whole(encode(DataRow.of(value))), in);

        assertThat(row.bytes()).isSameAs(in.array());
        assertThat(row.offset() + row.length()).isEqualTo(in.bodyEnd());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
