package io.pgloom.jdbc;

import io.pgloom.AuthenticationException;
import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

/**
 * How pgloom's exceptions become JDBC's: the server's SQLSTATE is kept, and its class picks the
 * standard {@link SQLException} subclass that tools catch (Spring's and Hibernate's translators,
 * HikariCP's eviction of broken connections). The {@link PgException} is the cause, so
 * {@code e.getCause()} gives every ErrorResponse field (constraint, detail, position, ...).
 */
final class Jdbc {

    /** SQLSTATE for a connection that does not exist (closed). */
    static final String CONNECTION_DOES_NOT_EXIST = "08003";

    private Jdbc() {
    }

    /** JDBC's way to say a feature is absent; never a silent no-op. */
    static SQLFeatureNotSupportedException unsupported(String what) {
        return new SQLFeatureNotSupportedException("pgloom-jdbc does not support " + what, "0A000");
    }

    /** The SQLException for a failure of pgloom's core or pool. */
    static SQLException error(RuntimeException failure) {
        if (!(failure instanceof PgException e)) {
            return new SQLException(failure.toString(), null, failure);
        }
        String state = e.sqlState();
        String message = e.getMessage();
        if (e instanceof AuthenticationException) {
            return new SQLInvalidAuthorizationSpecException(message, state != null ? state : "28000", e);
        }
        if (e instanceof ConnectionException) {
            // the connection is gone: 08xxx makes pools drop it rather than hand it out again
            return new SQLTransientConnectionException(message, state != null && state.startsWith("08") ? state : "08006", e);
        }
        if (e instanceof PgTimeoutException) {
            return new SQLTimeoutException(message, state, e);
        }
        if (state == null) {
            return new SQLException(message, null, e);
        }
        if (state.equals("57014")) {
            return new SQLTimeoutException(message, state, e);
        }
        if (state.startsWith("57P")) {
            return new SQLNonTransientConnectionException(message, state, e);
        }
        if (state.equals("55P03") || state.startsWith("53")) {
            return new SQLTransientException(message, state, e);
        }
        return switch (state.substring(0, 2)) {
            case "23" -> new SQLIntegrityConstraintViolationException(message, state, e);
            case "40" -> new SQLTransactionRollbackException(message, state, e);
            case "42" -> new SQLSyntaxErrorException(message, state, e);
            case "22" -> new SQLDataException(message, state, e);
            case "28" -> new SQLInvalidAuthorizationSpecException(message, state, e);
            case "08" -> new SQLNonTransientConnectionException(message, state, e);
            case "0A" -> new SQLFeatureNotSupportedException(message, state, e);
            default -> new SQLException(message, state, e);
        };
    }

    /** The rows a command tag reports ({@code INSERT 0 5} → 5, {@code UPDATE 3} → 3), or 0. */
    static long rowCount(String tag) {
        if (tag == null) {
            return 0;
        }
        int space = tag.lastIndexOf(' ');
        if (space < 0) {
            return 0;
        }
        String verb = tag.substring(0, tag.indexOf(' '));
        switch (verb) {
            case "INSERT", "UPDATE", "DELETE", "SELECT", "MERGE", "COPY", "MOVE", "FETCH" -> {
                try {
                    return Long.parseLong(tag.substring(space + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            default -> {
                return 0;
            }
        }
    }
}
