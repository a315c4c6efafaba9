package io.pgloom.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgloom.internal.io.WriteBuffer;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One or more values of every backend message, edge values included, and the helpers the wire
 * tests share: encoding as the server would, and comparing two messages field by field.
 */
final class Samples {

    static final String FOUR_BYTE = "𝄞😀";
    static final String UNICODE = "naïve 日本 " + FOUR_BYTE;

    private Samples() {
    }

    static List<BackendMessage> backend() {
        Random random = new Random(42);
        List<BackendMessage> all = new ArrayList<>();

        all.add(new Authentication.Ok());
        all.add(new Authentication.CleartextPassword());
        all.add(new Authentication.Md5Password(new byte[]{1, (byte) 0xFF, 0, 127}));
        all.add(new Authentication.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")));
        all.add(new Authentication.Sasl(List.of()));
        all.add(new Authentication.SaslContinue("r=abc,s=c2FsdA==,i=4096".getBytes(StandardCharsets.US_ASCII)));
        all.add(new Authentication.SaslContinue(new byte[0]));
        all.add(new Authentication.SaslFinal("v=dGVzdA==".getBytes(StandardCharsets.US_ASCII)));
        all.add(new Authentication.Unsupported(Authentication.KERBEROS_V5));
        all.add(new Authentication.Unsupported(Authentication.GSS));
        all.add(new Authentication.Unsupported(Authentication.SSPI));
        all.add(new Authentication.Unsupported(Integer.MIN_VALUE));

        all.add(new BackendKeyData(12345, new byte[]{1, 2, 3, 4}));
        all.add(new BackendKeyData(-1, bytes(random, 256)));
        all.add(new BackendKeyData(0, bytes(random, 32)));

        all.add(BindComplete.INSTANCE);
        all.add(CloseComplete.INSTANCE);
        all.add(ParseComplete.INSTANCE);
        all.add(NoData.INSTANCE);
        all.add(PortalSuspended.INSTANCE);
        all.add(EmptyQueryResponse.INSTANCE);
        all.add(CopyDone.INSTANCE);

        all.add(new CommandComplete("INSERT 0 1"));
        all.add(new CommandComplete(""));
        all.add(new CommandComplete(UNICODE));

        all.add(new CopyData(new byte[0]));
        all.add(new CopyData("1\tBob\n".getBytes(StandardCharsets.UTF_8)));
        all.add(new CopyData(bytes(random, 1024 * 1024)));

        all.add(new CopyInResponse((byte) 0, new short[0]));
        all.add(new CopyInResponse((byte) 1, new short[]{1, 1, 1}));
        all.add(new CopyInResponse((byte) 0, new short[1600])); // a table's most columns
        all.add(new CopyOutResponse((byte) 0, new short[]{0, 0}));
        all.add(new CopyOutResponse((byte) 1, new short[0]));

        all.add(DataRow.of());
        all.add(DataRow.of((byte[]) null));
        all.add(DataRow.of(new byte[0], null, "x".getBytes(StandardCharsets.UTF_8),
                UNICODE.getBytes(StandardCharsets.UTF_8), null));
        all.add(DataRow.of(new byte[65535][])); // 65535 NULLs
        all.add(DataRow.of(bytes(random, 1024 * 1024), new byte[]{7}));

        all.add(new ErrorResponse(Map.of()));
        all.add(new ErrorResponse(allErrorFields()));
        all.add(new ErrorResponse(Map.of('M', "", 'C', "XX000")));
        all.add(new NoticeResponse(Map.of('S', "NOTICE", 'V', "NOTICE", 'C', "00000", 'M', UNICODE)));
        all.add(new NoticeResponse(Map.of()));

        all.add(new NegotiateProtocolVersion(0, List.of()));
        all.add(new NegotiateProtocolVersion(2, List.of("_pq_.compression", "_pq_." + UNICODE, "")));

        all.add(new NotificationResponse(4242, "jobs", "{\"id\": 1}"));
        all.add(new NotificationResponse(Integer.MAX_VALUE, "", ""));
        all.add(new NotificationResponse(1, UNICODE, "x".repeat(8000)));

        all.add(new ParameterDescription(new int[0]));
        all.add(new ParameterDescription(new int[]{23, 25, 0, -1, Integer.MAX_VALUE}));
        int[] most = new int[65535];
        Arrays.setAll(most, i -> i);
        all.add(new ParameterDescription(most));

        all.add(new ParameterStatus("TimeZone", "Europe/Paris"));
        all.add(new ParameterStatus("", ""));
        all.add(new ParameterStatus("application_name", UNICODE));

        all.add(new ReadyForQuery((byte) 'I'));
        all.add(new ReadyForQuery((byte) 'T'));
        all.add(new ReadyForQuery((byte) 'E'));

        all.add(new RowDescription(new RowDescription.Field[0]));
        all.add(new RowDescription(new RowDescription.Field[]{
                new RowDescription.Field("id", 16384, (short) 1, 23, (short) 4, -1, (short) 1),
                new RowDescription.Field("", 0, (short) 0, 25, (short) -1, -1, (short) 0),
                new RowDescription.Field(UNICODE, -1, Short.MIN_VALUE, Integer.MIN_VALUE, Short.MAX_VALUE,
                        Integer.MAX_VALUE, (short) -1)}));
        RowDescription.Field[] wide = new RowDescription.Field[65535];
        Arrays.setAll(wide, i -> new RowDescription.Field("c" + i, 1, (short) i, 23, (short) 4, -1, (short) 1));
        all.add(new RowDescription(wide));
        return all;
    }

    /** Every field code PostgreSQL documents for ErrorResponse, each with a distinct value. */
    static Map<Character, String> allErrorFields() {
        Map<Character, String> f = new HashMap<>();
        f.put('S', "ERREUR");
        f.put('V', "ERROR");
        f.put('C', "23505");
        f.put('M', "duplicate key value violates unique constraint \"users_pkey\" " + FOUR_BYTE);
        f.put('D', "Key (id)=(1) already exists.");
        f.put('H', "Pick another id.");
        f.put('P', "17");
        f.put('p', "3");
        f.put('q', "SELECT internal()");
        f.put('W', "PL/pgSQL function f() line 3");
        f.put('s', "public");
        f.put('t', "users");
        f.put('c', "id");
        f.put('d', "int4");
        f.put('n', "users_pkey");
        f.put('F', "nbtinsert.c");
        f.put('L', "666");
        f.put('R', "_bt_check_unique");
        return f;
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The bytes a server would send for these messages, in order. */
    static byte[] encode(List<? extends BackendMessage> messages) {
        WriteBuffer out = new WriteBuffer(256);
        for (BackendMessage m : messages) {
            m.encode(out);
        }
        return out.toByteArray();
    }

    static byte[] encode(BackendMessage... messages) {
        return encode(List.of(messages));
    }

    /**
     * Asserts that two messages are the same: same type, every record component equal, arrays
     * by content. A DataRow is compared by its column count and the bytes of its view.
     */
    static void assertSameMessage(BackendMessage actual, BackendMessage expected) {
        assertThat(actual).isExactlyInstanceOf(expected.getClass());
        if (expected instanceof DataRow e) {
            DataRow a = (DataRow) actual;
            assertThat(a.columnCount()).isEqualTo(e.columnCount());
            assertThat(Arrays.copyOfRange(a.bytes(), a.offset(), a.offset() + a.length()))
                    .isEqualTo(Arrays.copyOfRange(e.bytes(), e.offset(), e.offset() + e.length()));
            return;
        }
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object want = component(c, expected);
            Object got = component(c, actual);
            assertThat(got).as("%s.%s", expected.getClass().getSimpleName(), c.getName()).isEqualTo(want);
        }
    }

    private static Object component(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A short description for parameterized test names. */
    static String describe(Object message) {
        String s = message.toString();
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
