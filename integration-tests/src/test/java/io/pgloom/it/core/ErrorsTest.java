package io.pgloom.it.core;

import io.pgloom.CheckViolationException;
import io.pgloom.ConnectionException;
import io.pgloom.DataException;
import io.pgloom.ForeignKeyViolationException;
import io.pgloom.NotNullViolationException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.UniqueViolationException;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Server errors carry every field and leave the connection usable; I/O errors close it for good. */
class ErrorsTest {

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
        conn.execute("CREATE TEMP TABLE e_parent(id int PRIMARY KEY)");
        conn.execute("CREATE TEMP TABLE e_child(id int PRIMARY KEY, parent int REFERENCES e_parent(id),"
                + " name text NOT NULL, qty int CONSTRAINT qty_positive CHECK (qty > 0))");
        conn.execute("INSERT INTO e_parent VALUES (1)");
        conn.execute("INSERT INTO e_child VALUES (1, 1, 'a', 1)");
    }

    @AfterAll
    static void close() {
        conn.close();
    }

    @Test
    void uniqueViolationCarriesEveryField() {
        UniqueViolationException e = catchThrowableOfType(UniqueViolationException.class,
                () -> conn.execute("INSERT INTO e_child VALUES ($1, $2, $3, $4)", 1, 1, "b", 2));
        assertThat(e.sqlState()).isEqualTo("23505");
        assertThat(e.severity()).isEqualTo("ERROR");
        assertThat(e.constraint()).isEqualTo("e_child_pkey");
        assertThat(e.table()).isEqualTo("e_child");
        assertThat(e.schema()).startsWith("pg_temp");
        assertThat(e.detail()).contains("(id)=(1)");
        assertThat(e.routine()).isNotBlank();
        assertThat(e.file()).isNotBlank();
        assertThat(e.getMessage()).contains("duplicate key").contains("23505");
        assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
    }

    @Test
    void eachConstraintKindHasItsType() {
        assertThatThrownBy(() -> conn.execute("INSERT INTO e_child VALUES ($1, $2, $3, $4)", 2, 99, "b", 1))
                .isInstanceOf(ForeignKeyViolationException.class);
        NotNullViolationException nn = catchThrowableOfType(NotNullViolationException.class,
                () -> conn.execute("INSERT INTO e_child VALUES ($1, $2, $3, $4)", 2, 1, null, 1));
        assertThat(nn.column()).isEqualTo("name");
        CheckViolationException check = catchThrowableOfType(CheckViolationException.class,
                () -> conn.execute("INSERT INTO e_child VALUES ($1, $2, $3, $4)", 2, 1, "b", -1));
        assertThat(check.constraint()).isEqualTo("qty_positive");
        assertThat(conn.isClosed()).isFalse();
    }

    @Test
    void syntaxErrorsHaveAPosition() {
        PgException e = catchThrowableOfType(PgException.class, () -> conn.fetch("SELECT * FROM WHERE"));
        assertThat(e.sqlState()).isEqualTo("42601");
        assertThat(e.position()).isEqualTo(15);
        PgException inFunction = catchThrowableOfType(PgException.class,
                () -> conn.execute("DO $$ BEGIN RAISE EXCEPTION 'boom' USING HINT = 'try again'; END $$"));
        assertThat(inFunction.hint()).isEqualTo("try again");
        assertThat(inFunction.where()).contains("PL/pgSQL");
        assertThat(conn.fetchVal("SELECT 2")).isEqualTo(2);
    }

    @Test
    void noticesReachLogListeners() {
        List<PgNotice> notices = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<PgNotice> listener = notices::add; // one instance, so the removal finds it
        conn.addLogListener(listener);
        try {
            conn.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$");
        } finally {
            conn.removeLogListener(listener);
        }
        assertThat(notices).extracting(PgNotice::message).contains("hello 42", "careful");
        assertThat(notices).extracting(PgNotice::severity).contains("NOTICE", "WARNING");
    }

    @Test
    void aKilledBackendClosesTheConnectionAndEveryLaterCallSaysWhy() {
        PgConnection victim = TestDb.connect();
        try (PgConnection admin = TestDb.admin()) {
            admin.fetch("SELECT pg_terminate_backend($1)", victim.serverPid());
        }
        assertThatThrownBy(() -> victim.fetch("SELECT 1")).isInstanceOf(PgException.class);
        assertThat(victim.isClosed()).isTrue();
        assertThatThrownBy(() -> victim.fetch("SELECT 1"))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("broken");
        victim.close();
        victim.close(); // idempotent
    }

    @Test
    void anErrorInsideATransactionFailsItUntilRollback() {
        conn.execute("BEGIN");
        assertThatThrownBy(() -> conn.fetch("SELECT 1/0")).isInstanceOf(PgException.class);
        assertThat(conn.isInTransaction()).isTrue();
        PgException failed = catchThrowableOfType(PgException.class, () -> conn.fetch("SELECT 1"));
        assertThat(failed.sqlState()).isEqualTo("25P02");
        conn.execute("ROLLBACK");
        assertThat(conn.isInTransaction()).isFalse();
        assertThat(conn.fetchVal("SELECT 3")).isEqualTo(3);
    }

    @Test
    void dataErrorsAreDataExceptionsAndNotTransient() {
        DataException overflow = catchThrowableOfType(DataException.class, () -> conn.fetchVal("SELECT 2 ^ $1", 1024));
        assertThat(overflow.sqlState()).isEqualTo("22003");
        assertThat(overflow.sqlStateClass()).isEqualTo("22");
        assertThat(overflow.isTransient()).isFalse();
        DataException text = catchThrowableOfType(DataException.class, () -> conn.fetchVal("SELECT 'x'::int"));
        assertThat(text.sqlState()).isEqualTo("22P02");
        assertThat(conn.fetchVal("SELECT 4")).isEqualTo(4);
    }

    @Test
    void aTerminatedBackendIsTransient() {
        PgConnection victim = TestDb.connect();
        try (PgConnection admin = TestDb.admin()) {
            admin.fetch("SELECT pg_terminate_backend($1)", victim.serverPid());
        }
        PgException e = catchThrowableOfType(PgException.class, () -> victim.fetch("SELECT 1"));
        assertThat(e).isInstanceOf(ConnectionException.class);
        assertThat(e.isTransient()).isTrue();
        victim.close();
    }
}
