package io.pgloom.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgloom.AdminShutdownException;
import io.pgloom.AuthenticationException;
import io.pgloom.CheckViolationException;
import io.pgloom.ConnectionException;
import io.pgloom.DataException;
import io.pgloom.DeadlockDetectedException;
import io.pgloom.ExclusionViolationException;
import io.pgloom.ForeignKeyViolationException;
import io.pgloom.InFailedTransactionException;
import io.pgloom.IntegrityConstraintViolationException;
import io.pgloom.LockNotAvailableException;
import io.pgloom.NotNullViolationException;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryCanceledException;
import io.pgloom.SerializationFailureException;
import io.pgloom.ServerConnectionException;
import io.pgloom.SqlState;
import io.pgloom.SyntaxErrorException;
import io.pgloom.TransactionRollbackException;
import io.pgloom.UndefinedTableException;
import io.pgloom.UniqueViolationException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerErrorsTest {

    /** An ErrorResponse with every field PostgreSQL can send, as a server 17 sends them. */
    private static Map<Character, String> fields(String severity, String sqlState) {
        Map<Character, String> f = new HashMap<>();
        f.put('S', severity);
        f.put('V', severity);
        f.put('C', sqlState);
        f.put('M', "the message");
        f.put('D', "the detail");
        f.put('H', "the hint");
        f.put('P', "15");
        f.put('p', "3");
        f.put('q', "SELECT internal");
        f.put('W', "PL/pgSQL function f() line 3 at SQL statement");
        f.put('s', "public");
        f.put('t', "users");
        f.put('c', "email");
        f.put('d', "email_domain");
        f.put('n', "users_email_key");
        f.put('F', "nbtinsert.c");
        f.put('L', "666");
        f.put('R', "_bt_check_unique");
        return f;
    }

    static Stream<Arguments> mappedStates() {
        return Stream.of(
                Arguments.of("23505", UniqueViolationException.class),
                Arguments.of("23503", ForeignKeyViolationException.class),
                Arguments.of("23502", NotNullViolationException.class),
                Arguments.of("23514", CheckViolationException.class),
                Arguments.of("23P01", ExclusionViolationException.class),
                Arguments.of("23000", IntegrityConstraintViolationException.class),
                Arguments.of("23001", IntegrityConstraintViolationException.class),
                Arguments.of("40001", SerializationFailureException.class),
                Arguments.of("40P01", DeadlockDetectedException.class),
                Arguments.of("40000", TransactionRollbackException.class),
                Arguments.of("40002", TransactionRollbackException.class),
                Arguments.of("40003", TransactionRollbackException.class),
                Arguments.of("57014", QueryCanceledException.class),
                Arguments.of("22000", DataException.class),
                Arguments.of("22003", DataException.class),
                Arguments.of("22012", DataException.class),
                Arguments.of("22P02", DataException.class),
                Arguments.of("55P03", LockNotAvailableException.class),
                Arguments.of("25P02", InFailedTransactionException.class),
                Arguments.of("42P01", UndefinedTableException.class),
                Arguments.of("42601", SyntaxErrorException.class));
    }

    @ParameterizedTest
    @MethodSource("mappedStates")
    void eachMappedStateYieldsItsClassWithEveryField(String state, Class<? extends PgException> type) {
        PgException e = ServerErrors.fromFields(fields("ERROR", state));

        assertThat(e).isExactlyInstanceOf(type).isNotInstanceOf(ConnectionException.class);
        assertThat(e.isServerError()).isTrue();
        assertThat(e.sqlState()).isEqualTo(state);
        assertThat(e.severity()).isEqualTo("ERROR");
        assertThat(e.serverMessage()).isEqualTo("the message");
        assertThat(e.detail()).isEqualTo("the detail");
        assertThat(e.hint()).isEqualTo("the hint");
        assertThat(e.position()).isEqualTo(15);
        assertThat(e.internalPosition()).isEqualTo(3);
        assertThat(e.internalQuery()).isEqualTo("SELECT internal");
        assertThat(e.where()).isEqualTo("PL/pgSQL function f() line 3 at SQL statement");
        assertThat(e.schema()).isEqualTo("public");
        assertThat(e.table()).isEqualTo("users");
        assertThat(e.column()).isEqualTo("email");
        assertThat(e.dataType()).isEqualTo("email_domain");
        assertThat(e.constraint()).isEqualTo("users_email_key");
        assertThat(e.file()).isEqualTo("nbtinsert.c");
        assertThat(e.line()).isEqualTo("666");
        assertThat(e.routine()).isEqualTo("_bt_check_unique");
        assertThat(e.fields()).isEqualTo(fields("ERROR", state));
    }

    @Test
    void subclassesShareTheirClassSuperclass() {
        assertThat(ServerErrors.fromFields(fields("ERROR", SqlState.UNIQUE_VIOLATION)))
                .isInstanceOf(IntegrityConstraintViolationException.class);
        assertThat(ServerErrors.fromFields(fields("ERROR", SqlState.EXCLUSION_VIOLATION)))
                .isInstanceOf(IntegrityConstraintViolationException.class);
        assertThat(ServerErrors.fromFields(fields("ERROR", SqlState.SERIALIZATION_FAILURE)))
                .isInstanceOf(TransactionRollbackException.class);
        assertThat(ServerErrors.fromFields(fields("ERROR", SqlState.DEADLOCK_DETECTED)))
                .isInstanceOf(TransactionRollbackException.class);
    }

    @Test
    void messageReadsLikePsql() {
        Map<Character, String> f = Map.ofEntries(
                Map.entry('S', "ERROR"), Map.entry('V', "ERROR"), Map.entry('C', "23505"),
                Map.entry('M', "duplicate key value violates unique constraint \"users_pkey\""),
                Map.entry('D', "Key (id)=(1) already exists."),
                Map.entry('s', "public"), Map.entry('t', "users"), Map.entry('n', "users_pkey"),
                Map.entry('F', "nbtinsert.c"), Map.entry('L', "666"), Map.entry('R', "_bt_check_unique"));

        PgException e = ServerErrors.fromFields(f);

        assertThat(e).hasMessage("ERROR: duplicate key value violates unique constraint \"users_pkey\""
                + " [SQLSTATE 23505]\n  Detail: Key (id)=(1) already exists.");
        assertThat(e.hint()).isNull();
        assertThat(e.position()).isZero();
        assertThat(e.where()).isNull();
    }

    @Test
    void syntaxErrorMessageShowsThePosition() {
        PgException e = ServerErrors.fromFields(Map.of(
                'S', "ERROR", 'V', "ERROR", 'C', "42601", 'M', "syntax error at or near \"FORM\"", 'P', "10"));

        assertThat(e).isInstanceOf(SyntaxErrorException.class)
                .hasMessage("ERROR: syntax error at or near \"FORM\" [SQLSTATE 42601]\n  Position: 10");
        assertThat(e.position()).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42703", "0A000", "XX000", "P0001", "ZZ999", "2", "", "23"})
    void otherStatesGiveAPlainPgException(String state) {
        PgException e = ServerErrors.fromFields(Map.of('S', "ERROR", 'V', "ERROR", 'C', state, 'M', "m"));

        assertThat(e).isExactlyInstanceOf(PgException.class);
        assertThat(e.sqlState()).isEqualTo(state);
        assertThat(e.isServerError()).isTrue();
    }

    @Test
    void unknownCodeInAMappedClassGetsTheClassType() {
        assertThat(ServerErrors.fromFields(Map.of('V', "ERROR", 'C', "23Q99", 'M', "m")))
                .isExactlyInstanceOf(IntegrityConstraintViolationException.class);
        assertThat(ServerErrors.fromFields(Map.of('V', "ERROR", 'C', "40Q99", 'M', "m")))
                .isExactlyInstanceOf(TransactionRollbackException.class);
    }

    @Test
    void missingCodeGivesAPlainPgException() {
        PgException e = ServerErrors.fromFields(Map.of('S', "ERROR", 'M', "odd server"));

        assertThat(e).isExactlyInstanceOf(PgException.class).hasMessage("ERROR: odd server");
        assertThat(e.sqlState()).isNull();
    }

    @Test
    void fatalAdminShutdownMeansTheConnectionIsGone() {
        Map<Character, String> f = Map.of('S', "FATAL", 'V', "FATAL", 'C', "57P01",
                'M', "terminating connection due to administrator command");

        PgException e = ServerErrors.fromFields(f);

        assertThat(e).isExactlyInstanceOf(AdminShutdownException.class)
                .isInstanceOf(ServerConnectionException.class)
                .hasMessage("FATAL: terminating connection due to administrator command [SQLSTATE 57P01]");
        assertThat(((ConnectionException) e).requestSent()).isTrue();
        assertThat(e.sqlState()).isEqualTo(SqlState.ADMIN_SHUTDOWN);
        assertThat(e.severity()).isEqualTo("FATAL");
    }

    @Test
    void fatalWithAStateThatIsUsuallyAnErrorStillMeansTheConnectionIsGone() {
        // A FATAL 57014 is what the server sends when authentication times out.
        for (String state : List.of("57014", "23505", "40001", "42601", "53300", "3D000", "08P01", "XX000")) {
            PgException e = ServerErrors.fromFields(fields("FATAL", state));

            assertThat(e).as(state).isExactlyInstanceOf(ServerConnectionException.class);
            assertThat(e.sqlState()).isEqualTo(state);
            assertThat(e.constraint()).isEqualTo("users_email_key");
            assertThat(e.routine()).isEqualTo("_bt_check_unique");
        }
    }

    @Test
    void panicMeansTheConnectionIsGone() {
        PgException e = ServerErrors.fromFields(fields("PANIC", "XX000"));

        assertThat(e).isExactlyInstanceOf(ServerConnectionException.class);
        assertThat(e.severity()).isEqualTo("PANIC");
    }

    @Test
    void severityIsReadFromTheUnlocalizedField() {
        Map<Character, String> russian = Map.of('S', "ВАЖНО", 'V', "FATAL", 'C', "53300",
                'M', "слишком много подключений");
        assertThat(ServerErrors.fromFields(russian)).isExactlyInstanceOf(ServerConnectionException.class);

        Map<Character, String> german = Map.of('S', "FEHLER", 'V', "ERROR", 'C', "23505", 'M', "m");
        assertThat(ServerErrors.fromFields(german)).isExactlyInstanceOf(UniqueViolationException.class);

        Map<Character, String> oldServer = Map.of('S', "FATAL", 'C', "57P01", 'M', "m");
        assertThat(ServerErrors.fromFields(oldServer)).isExactlyInstanceOf(AdminShutdownException.class);
    }

    @Test
    void fatalAuthenticationFailureIsAnAuthenticationException() {
        Map<Character, String> f = Map.of('S', "FATAL", 'V', "FATAL", 'C', "28P01",
                'M', "password authentication failed for user \"app\"", 'R', "auth_failed");

        PgException e = ServerErrors.fromFields(f);

        assertThat(e).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessage("FATAL: password authentication failed for user \"app\" [SQLSTATE 28P01]");
        assertThat(((ConnectionException) e).requestSent()).isFalse();
        assertThat(e.routine()).isEqualTo("auth_failed");
        assertThat(ServerErrors.fromFields(fields("FATAL", "28000"))).isExactlyInstanceOf(AuthenticationException.class);
    }

    @Test
    void startupErrorsAreConnectionErrorsThatSentNoRequest() {
        ConnectionException tooMany = ServerErrors.fromStartupFields(fields("FATAL", "53300"));
        assertThat(tooMany).isExactlyInstanceOf(ServerConnectionException.class);
        assertThat(tooMany.requestSent()).isFalse();

        ConnectionException starting = ServerErrors.fromStartupFields(fields("FATAL", "57P03"));
        assertThat(starting.sqlState()).isEqualTo(SqlState.CANNOT_CONNECT_NOW);
        assertThat(starting.requestSent()).isFalse();

        ConnectionException shutdown = ServerErrors.fromStartupFields(fields("FATAL", "57P01"));
        assertThat(shutdown).isExactlyInstanceOf(AdminShutdownException.class);
        assertThat(shutdown.requestSent()).isFalse();

        assertThat(ServerErrors.fromStartupFields(fields("FATAL", "28P01")))
                .isExactlyInstanceOf(AuthenticationException.class);
        // Even a (non-conforming) ERROR during startup ends the attempt.
        assertThat(ServerErrors.fromStartupFields(fields("ERROR", "23505")))
                .isExactlyInstanceOf(ServerConnectionException.class);
    }

    /** The invariant a pool relies on: the type alone says whether the connection survived. */
    @Test
    void typeTellsWhetherTheConnectionSurvivedForEveryKnownState() throws IllegalAccessException {
        List<String> states = new ArrayList<>();
        for (Field field : SqlState.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                states.add((String) field.get(null));
            }
        }
        assertThat(states).hasSizeGreaterThan(200);
        for (String state : states) {
            assertThat(ServerErrors.fromFields(fields("ERROR", state)))
                    .as("ERROR " + state).isNotInstanceOf(ConnectionException.class);
            assertThat(ServerErrors.fromFields(fields("FATAL", state)))
                    .as("FATAL " + state).isInstanceOf(ConnectionException.class);
            assertThat(ServerErrors.fromFields(fields("PANIC", state)))
                    .as("PANIC " + state).isInstanceOf(ConnectionException.class);
        }
    }

    @Test
    void endsSessionLooksAtTheSeverityOnly() {
        assertThat(ServerErrors.endsSession(Map.of('V', "FATAL"))).isTrue();
        assertThat(ServerErrors.endsSession(Map.of('V', "PANIC"))).isTrue();
        assertThat(ServerErrors.endsSession(Map.of('S', "FATAL"))).isTrue();
        assertThat(ServerErrors.endsSession(Map.of('V', "ERROR", 'C', "57P01"))).isFalse();
        assertThat(ServerErrors.endsSession(Map.of())).isFalse();
    }

    @Test
    void laterChangesToTheFieldMapDoNotLeakIn() {
        Map<Character, String> f = fields("ERROR", "23505");
        PgException e = ServerErrors.fromFields(f);
        f.put('n', "changed");

        assertThat(e.constraint()).isEqualTo("users_email_key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"40001", "40P01", "57P01", "57P02", "57P03", "53300", "53000", "53200",
            "53400", "55P03", "08000", "08006", "08P01"})
    void transientStatesSayTheyAreTransient(String state) {
        PgException e = ServerErrors.fromFields(fields("ERROR", state));

        assertThat(e.isTransient()).as(state).isTrue();
        assertThat(e.sqlStateClass()).isEqualTo(state.substring(0, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"22003", "22P02", "23505", "42601", "42P01", "57014", "40002", "XX000", "P0001"})
    void lastingStatesAreNotTransient(String state) {
        assertThat(ServerErrors.fromFields(fields("ERROR", state)).isTransient()).as(state).isFalse();
    }

    @Test
    void connectionLossAndDeadlinesAreTransientButARefusedLoginIsNot() {
        assertThat(new ConnectionException("reset by peer").isTransient()).isTrue();
        assertThat(ServerErrors.fromFields(fields("FATAL", SqlState.ADMIN_SHUTDOWN)).isTransient()).isTrue();
        assertThat(new PgTimeoutException("no connection within 5s").isTransient()).isTrue();
        assertThat(ServerErrors.fromStartupFields(fields("FATAL", "28P01")).isTransient()).isFalse();
        assertThat(new PgException("bad input").isTransient()).isFalse();
        assertThat(new PgException("bad input").sqlStateClass()).isNull();
    }
}
