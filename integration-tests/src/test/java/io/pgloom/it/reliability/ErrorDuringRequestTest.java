package io.pgloom.it.reliability;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.codec.TypeCodec;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An {@link Error} thrown inside a request (a codec's encoder, a COPY source) leaves the
 * connection closed and says why, instead of stuck "busy" for good with {@code isClosed()} false.
 */
class ErrorDuringRequestTest {

    record Boom(int n) {
    }

    @Test
    void anErrorFromACodecsEncoderClosesTheConnectionAndReportsIt() {
        try (PgConnection conn = TestDb.connect()) {
            conn.setTypeCodec("int4", "pg_catalog", TypeCodec.binary(Boom.class, b -> {
                throw new StackOverflowError("deep");
            }, bytes -> new Boom(0)));
            Throwable t = catchThrowable(() -> conn.fetchVal("SELECT $1::int4", new Boom(1)));
            assertThat(t).isInstanceOf(ConnectionException.class).hasMessageContaining("StackOverflowError");
            assertThat(((ConnectionException) t).requestSent()).as("nothing was written").isFalse();
            assertThat(t).hasRootCauseInstanceOf(StackOverflowError.class);
            assertThat(conn.isClosed()).isTrue();
            Throwable later = catchThrowable(() -> conn.fetchVal("SELECT 1"));
            assertThat(later).isInstanceOf(ConnectionException.class).hasMessageContaining("broken")
                    .hasMessageNotContaining("busy");
        }
    }

    @Test
    void anAssertionErrorFromATextCodecClosesTheConnection() {
        try (PgConnection conn = TestDb.connect()) {
            conn.setTypeCodec("text", "pg_catalog", TypeCodec.text(Boom.class, b -> {
                throw new AssertionError("codec bug");
            }, text -> new Boom(0)));
            assertThat(catchThrowable(() -> conn.execute("SELECT $1::text", new Boom(1))))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("codec bug");
            assertThat(conn.isClosed()).isTrue();
        }
    }

    @Test
    void anErrorFromACopySourceClosesTheConnection() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE copy_err(n int)");
            InputStream failing = new InputStream() {
                @Override
                public int read() {
                    throw new OutOfMemoryError("simulated");
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    throw new OutOfMemoryError("simulated");
                }
            };
            assertThat(catchThrowable(() -> conn.copyToTable("copy_err", failing)))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("OutOfMemoryError");
            assertThat(conn.isClosed()).isTrue();
        }
    }

    @Test
    void aRuntimeFailureOfACopySourceStillLeavesTheConnectionUsable() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE copy_ok(n int)");
            InputStream failing = new InputStream() {
                @Override
                public int read() {
                    throw new IllegalStateException("source broke");
                }
            };
            assertThat(catchThrowable(() -> conn.copyToTable("copy_ok", failing))).isInstanceOf(RuntimeException.class);
            assertThat(conn.isClosed()).isFalse();
            assertThat(conn.copyToTable("copy_ok", new ByteArrayInputStream("1\n2\n".getBytes()))).isEqualTo(2);
            assertThat(conn.fetch("SELECT n FROM copy_ok ORDER BY n")).hasSize(2);
        }
    }

    @Test
    void theConnectionIsNeverLeftBusyAfterAnyOfTheseErrors() {
        for (Error e : List.of(new StackOverflowError(), new AssertionError(), new OutOfMemoryError(), new LinkageError())) {
            try (PgConnection conn = TestDb.connect()) {
                conn.setTypeCodec("int8", "pg_catalog", TypeCodec.binary(Boom.class, b -> {
                    throw e;
                }, bytes -> new Boom(0)));
                assertThat(catchThrowable(() -> conn.fetchVal("SELECT $1::int8", new Boom(1))))
                        .isInstanceOf(PgException.class);
                assertThat(conn.isClosed()).as("closed after " + e).isTrue();
            }
        }
    }
}
