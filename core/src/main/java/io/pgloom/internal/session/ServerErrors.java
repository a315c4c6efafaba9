package io.pgloom.internal.session;

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
import io.pgloom.QueryCanceledException;
import io.pgloom.SerializationFailureException;
import io.pgloom.ServerConnectionException;
import io.pgloom.SqlState;
import io.pgloom.SyntaxErrorException;
import io.pgloom.TransactionRollbackException;
import io.pgloom.UndefinedTableException;
import io.pgloom.UniqueViolationException;

import java.util.Map;

/**
 * Turns the fields of an ErrorResponse into the {@link PgException} to throw: the subclass is
 * chosen by severity first, then by SQLSTATE.
 *
 * <ul>
 *   <li>Severity FATAL or PANIC: the server closes the connection after sending it, so the
 *       result is always a {@link ConnectionException}: {@link AuthenticationException} for
 *       class 28, {@link AdminShutdownException} for 57P01, otherwise
 *       {@link ServerConnectionException}. The caller closes the connection when
 *       {@code e instanceof ConnectionException}, and nothing else needs to look at the severity.
 *   <li>Severity ERROR: the connection survives, and the result is never a
 *       {@code ConnectionException}. Known states get their subclass; otherwise class 23 gives
 *       {@link IntegrityConstraintViolationException}, class 40
 *       {@link TransactionRollbackException}, class 22 {@link DataException}, and anything else a plain {@link PgException}.
 * </ul>
 *
 * <p>The severity is read from field 'V' (never localized, sent since PostgreSQL 9.6), falling
 * back to 'S' when 'V' is absent. The fields map is copied. Stateless and thread-safe.
 */
public final class ServerErrors {

    private ServerErrors() {}

    /**
     * The exception for an ErrorResponse received while a request was in progress. A FATAL one
     * yields a {@link ConnectionException} whose {@code requestSent()} is true, since the
     * request may have reached the server, unless the error says the server ended an idle session.
     *
     * @param fields the ErrorResponse's fields, keyed by their protocol codes ('C', 'M', ...)
     */
    public static PgException fromFields(Map<Character, String> fields) {
        if (endsSession(fields)) {
            return sessionEnded(fields, !endedWhileIdle(fields.get('C')));
        }
        String state = fields.get('C');
        if (state == null) {
            return new PgException(fields);
        }
        return switch (state) {
            case SqlState.UNIQUE_VIOLATION -> new UniqueViolationException(fields);
            case SqlState.FOREIGN_KEY_VIOLATION -> new ForeignKeyViolationException(fields);
            case SqlState.NOT_NULL_VIOLATION -> new NotNullViolationException(fields);
            case SqlState.CHECK_VIOLATION -> new CheckViolationException(fields);
            case SqlState.EXCLUSION_VIOLATION -> new ExclusionViolationException(fields);
            case SqlState.SERIALIZATION_FAILURE -> new SerializationFailureException(fields);
            case SqlState.DEADLOCK_DETECTED -> new DeadlockDetectedException(fields);
            case SqlState.QUERY_CANCELED -> new QueryCanceledException(fields);
            case SqlState.LOCK_NOT_AVAILABLE -> new LockNotAvailableException(fields);
            case SqlState.IN_FAILED_SQL_TRANSACTION -> new InFailedTransactionException(fields);
            case SqlState.UNDEFINED_TABLE -> new UndefinedTableException(fields);
            case SqlState.SYNTAX_ERROR -> new SyntaxErrorException(fields);
            default -> byClass(state, fields);
        };
    }

    /**
     * The exception for an ErrorResponse received while connecting (before the first
     * ReadyForQuery). The server sends these as FATAL and closes the connection, so the result is
     * always a {@link ConnectionException}, whatever the severity says, with
     * {@code requestSent()} false: no query was sent, so connecting again is safe.
     *
     * @param fields the ErrorResponse's fields, keyed by their protocol codes
     */
    public static ConnectionException fromStartupFields(Map<Character, String> fields) {
        return sessionEnded(fields, false);
    }

    /**
     * True for the FATAL errors a server sends only while the session waits for a command
     * (idle_session_timeout, idle_in_transaction_session_timeout): it ended the session before the
     * request arrived, so the request was never run.
     */
    private static boolean endedWhileIdle(String state) {
        return SqlState.IDLE_SESSION_TIMEOUT.equals(state) || SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT.equals(state);
    }

    /** True when the error's severity is FATAL or PANIC: the server is closing the connection. */
    public static boolean endsSession(Map<Character, String> fields) {
        String severity = fields.get('V');
        if (severity == null) {
            severity = fields.get('S');
        }
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    private static ConnectionException sessionEnded(Map<Character, String> fields, boolean requestSent) {
        String state = fields.get('C');
        if (state != null && state.startsWith("28")) {
            return new AuthenticationException(fields);
        }
        if (SqlState.ADMIN_SHUTDOWN.equals(state)) {
            return new AdminShutdownException(fields, requestSent);
        }
        return new ServerConnectionException(fields, requestSent);
    }

    private static PgException byClass(String state, Map<Character, String> fields) {
        if (state.length() == 5) {
            if (state.startsWith("23")) {
                return new IntegrityConstraintViolationException(fields);
            }
            if (state.startsWith("40")) {
                return new TransactionRollbackException(fields);
            }
            if (state.startsWith("22")) {
                return new DataException(fields);
            }
        }
        return new PgException(fields);
    }
}
