package io.pgloom.it.reliability;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Input beyond what the protocol can carry is refused clearly, and the connection stays usable:
 * the 16-bit parameter count, text with no UTF-8 form, multi-byte text over 1 GiB, COPY data
 * asked for through fetch(), and a COPY sink that fails.
 */
class InputLimitsTest {

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
    }

    @AfterAll
    static void close() {
        conn.close();
    }

    @AfterEach
    void stillUsable() {
        assertThat(conn.isClosed()).isFalse();
        assertThat(conn.isInTransaction()).isFalse();
        assertThat(conn.fetchVal("SELECT 41 + 1")).isEqualTo(42);
    }

    private static String selectOfParameters(int n) {
        StringJoiner sql = new StringJoiner(",", "SELECT cardinality(ARRAY[", "])");
        for (int i = 1; i <= n; i++) {
            sql.add("$" + i + "::int");
        }
        return sql.toString();
    }

    @Test
    void moreThan65535ParametersAreRefusedNamingTheLimit() {
        Object[] args = new Object[65_536];
        Arrays.fill(args, 1);
        PgException e = catchThrowableOfType(PgException.class, () -> conn.fetchVal(selectOfParameters(65_536), args));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("65535").contains("65536");
        assertThat(e.sqlState()).isNull();

        PgException many = catchThrowableOfType(PgException.class,
                () -> conn.executeMany("SELECT 1", List.<Object[]>of(new Object[0], args)));
        assertThat(many.getMessage()).contains("argument list 1").contains("65535");
    }

    @Test
    void exactly65535ParametersStillWork() {
        Object[] args = new Object[65_535];
        Arrays.fill(args, 1);
        assertThat(conn.fetchVal(selectOfParameters(65_535), args)).isEqualTo(65_535);
    }

    @Test
    void textWithAnUnpairedSurrogateIsAnErrorNamingTheParameter() {
        PgException e = catchThrowableOfType(PgException.class,
                () -> conn.fetchVal("SELECT $1::int, $2::text", 1, "ab\uD800c"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("$2").contains("surrogate").contains("D800");
        PgException low = catchThrowableOfType(PgException.class, () -> conn.fetchVal("SELECT $1::text", "\uDC00é"));
        assertThat(low.getMessage()).contains("$1").contains("DC00");
        // A proper pair still goes through, as 4 bytes of UTF-8.
        assertThat(conn.fetchVal("SELECT octet_length($1::text)", "é\uD83D\uDE00")).isEqualTo(6);
    }

    @Test
    @org.junit.jupiter.api.Tag("long") // 700 MB of heap: once, on the default server only
    void multiByteTextOverOneGibibyteIsRefusedBeforeEncoding() {
        char[] chars = new char[(1 << 30) / 3 + 16]; // 3 bytes each in UTF-8: just over 1 GiB
        Arrays.fill(chars, '€');
        String huge = new String(chars);
        chars = null;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(self);
        PgException e = catchThrowableOfType(PgException.class, () -> conn.fetchVal("SELECT length($1::text)", huge));
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("$1").containsIgnoringCase("exceeds");
        // The defect encoded the whole gibibyte (9-14 s) before refusing; counting the bytes first
        // allocates next to nothing. Measured in bytes, not time, so a busy machine cannot fail it.
        assertThat(allocated).as("bytes allocated before the refusal").isLessThan(64L << 20);
    }

    @Test
    void fetchOfCopyToStdoutIsRefusedNotAnEmptyList() {
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS copy_src AS SELECT g AS n FROM generate_series(1, 3) g");
        PgException e = catchThrowableOfType(PgException.class, () -> conn.fetch("COPY copy_src TO STDOUT"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("copyFromQuery");
        PgException viaExecute = catchThrowableOfType(PgException.class, () -> conn.execute("COPY copy_src TO STDOUT"));
        assertThat(viaExecute.getMessage()).contains("copyFromTable");
    }

    @Test
    void aFailingSinkInCopyFromTableSurfacesItsErrorAndTheConnectionStaysUsable() {
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS copy_big AS SELECT g AS n FROM generate_series(1, 20000) g");
        OutputStream failing = new OutputStream() {
            int calls;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (++calls == 3) {
                    throw new IOException("disk full");
                }
            }
        };
        PgException e = catchThrowableOfType(PgException.class, () -> conn.copyFromTable("copy_big", failing));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("disk full").doesNotContain("unexpected");
        assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessage("disk full");
        ByteArrayOutputStream ok = new ByteArrayOutputStream();
        assertThat(conn.copyFromTable("copy_big", ok)).isEqualTo(20_000);
    }
}
