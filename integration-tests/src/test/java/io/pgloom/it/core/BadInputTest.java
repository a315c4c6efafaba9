package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad input is refused client-side, before a byte is sent, and the connection stays usable. */
class BadInputTest {

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

    static PgException clientError(Runnable r) {
        PgException e = catchThrowableOfType(PgException.class, r::run);
        assertThat(e).isNotNull();
        assertThat(e.sqlState()).as("client-side error has no SQLSTATE: " + e.getMessage()).isNull();
        return e;
    }

    @Test
    void wrongNumberOfParameters() {
        assertThat(clientError(() -> conn.fetch("SELECT $1::int + $2::int", 1)).getMessage())
                .contains("2 parameters").contains("1 argument");
        assertThat(clientError(() -> conn.fetch("SELECT 1", 1)).getMessage()).contains("0 parameters");
    }

    @Test
    void nulInATextParameterNamesIt() {
        PgException e = clientError(() -> conn.fetch("SELECT $1::int, $2::text", 1, "a\0b"));
        assertThat(e.getMessage()).contains("$2");
    }

    @Test
    void nulInTheQueryText() {
        assertThat(clientError(() -> conn.fetch("SELECT 1\0")).getMessage()).contains("NUL");
    }

    @Test
    void aValueThatCannotBeEncodedNamesParameterJavaTypeAndPgType() {
        PgException e = clientError(() -> conn.fetch("SELECT $1::int2", 70_000));
        assertThat(e.getMessage()).contains("$1").contains("Integer").contains("int2");
        PgException s = clientError(() -> conn.fetch("SELECT $1::int4 + 1", "abc"));
        assertThat(s.getMessage()).contains("$1").contains("String").contains("int4");
        PgException lossy = clientError(() -> conn.fetch("SELECT $1::int4", 3_000_000_000L));
        assertThat(lossy.getMessage()).contains("$1").contains("Long").contains("int4");
    }

    @Test
    void aMessageOverOneGibibyteIsRefused() {
        byte[] huge = new byte[(1 << 30) + 1];
        PgException e = clientError(() -> conn.fetch("SELECT length($1::bytea)", (Object) huge));
        assertThat(e.getMessage()).containsIgnoringCase("exceeds");
    }

    @Test
    void aMalformedUri() {
        assertThat(clientError(() -> ConnectOptions.fromUri("postgresql://host:notaport/db")).getMessage())
                .contains("notaport");
        assertThat(clientError(() -> ConnectOptions.fromUri("postgresql://[::1/db")).getMessage()).isNotBlank();
        assertThat(clientError(() -> ConnectOptions.fromUri("postgresql://h/db?sslmode=sometimes")).getMessage())
                .contains("sometimes");
        assertThat(clientError(() -> ConnectOptions.fromUri("postgresql://h/db?no_such_key=1")).getMessage())
                .contains("no_such_key");
    }
}
