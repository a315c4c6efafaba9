package io.pgloom;

import java.util.Map;

/**
 * Every failure pgloom reports: an unchecked exception with a message a person can act on.
 *
 * <p>A server error (an ErrorResponse) carries every field the server sent: {@link #sqlState()},
 * {@link #severity()}, {@link #detail()}, {@link #hint()} and the rest; after one of severity
 * ERROR the connection is still usable. A client-side error (bad input refused before a byte was
 * sent, a misuse of the API) has {@code sqlState() == null} and also leaves the connection usable.
 * A {@link ConnectionException} means the connection is gone; that includes a server error of
 * severity FATAL or PANIC, which arrives as a {@link ServerConnectionException}. So the type
 * alone tells whether the connection survived.
 *
 * <p>pgloom throws a subclass for the states people catch ({@link UniqueViolationException},
 * {@link SerializationFailureException}, ...); {@link SqlState} names every other code.
 *
 * <pre>{@code
 * try {
 *     conn.execute("INSERT INTO users VALUES ($1, $2)", 1, "Bob");
 * } catch (UniqueViolationException e) {
 *     log.info("user exists: " + e.constraint());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class PgException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Map<Character, String> fields;

    /** A client-side error: no SQLSTATE. */
    public PgException(String message) {
        this(message, (Throwable) null);
    }

    /** A client-side error with its cause. */
    public PgException(String message, Throwable cause) {
        super(message, cause);
        this.fields = Map.of();
    }

    /**
     * A server error built from an ErrorResponse's fields, keyed by the protocol's field codes
     * ('S' severity, 'C' code, 'M' message, 'D' detail, ...).
     */
    public PgException(Map<Character, String> fields) {
        this(fields, null);
    }

    /**
     * A server error built from an ErrorResponse's fields, with the failure that came with it
     * (for instance the I/O error that followed a FATAL one), or null.
     */
    protected PgException(Map<Character, String> fields, Throwable cause) {
        super(describe(fields), cause);
        this.fields = Map.copyOf(fields);
    }

    private static String describe(Map<Character, String> fields) {
        StringBuilder b = new StringBuilder();
        String severity = fields.get('V') != null ? fields.get('V') : fields.get('S');
        if (severity != null) {
            b.append(severity).append(": ");
        }
        b.append(fields.getOrDefault('M', "(no message)"));
        String code = fields.get('C');
        if (code != null) {
            b.append(" [SQLSTATE ").append(code).append(']');
        }
        String detail = fields.get('D');
        if (detail != null) {
            b.append("\n  Detail: ").append(detail);
        }
        String hint = fields.get('H');
        if (hint != null) {
            b.append("\n  Hint: ").append(hint);
        }
        String position = fields.get('P');
        if (position != null) {
            b.append("\n  Position: ").append(position);
        }
        return b.toString();
    }

    /** The five-character SQLSTATE, or {@code null} for a client-side error. */
    public String sqlState() {
        return fields.get('C');
    }

    /** ERROR, FATAL or PANIC (not localized), or null for a client-side error. */
    public String severity() {
        String v = fields.get('V');
        return v != null ? v : fields.get('S');
    }

    /** The server's primary message without decoration, or this exception's message. */
    public String serverMessage() {
        String m = fields.get('M');
        return m != null ? m : getMessage();
    }

    public String detail() {
        return fields.get('D');
    }

    public String hint() {
        return fields.get('H');
    }

    /** The 1-based character position in the query where the error was found, or 0. */
    public int position() {
        String p = fields.get('P');
        return p == null ? 0 : Integer.parseInt(p);
    }

    /** The position in an internally generated query (field 'p'), or 0. */
    public int internalPosition() {
        String p = fields.get('p');
        return p == null ? 0 : Integer.parseInt(p);
    }

    public String internalQuery() {
        return fields.get('q');
    }

    public String where() {
        return fields.get('W');
    }

    public String schema() {
        return fields.get('s');
    }

    public String table() {
        return fields.get('t');
    }

    public String column() {
        return fields.get('c');
    }

    public String dataType() {
        return fields.get('d');
    }

    public String constraint() {
        return fields.get('n');
    }

    public String file() {
        return fields.get('F');
    }

    public String line() {
        return fields.get('L');
    }

    public String routine() {
        return fields.get('R');
    }

    /** Every field the server sent, keyed by its protocol code; empty for a client-side error. */
    public Map<Character, String> fields() {
        return fields;
    }

    /**
     * The SQLSTATE's class, its first two characters ({@code "22"} for a data exception,
     * {@code "23"} for an integrity constraint violation, ...), or {@code null} for a
     * client-side error. {@link SqlState#className(String)} names the class.
     */
    public String sqlStateClass() {
        String state = sqlState();
        return state == null || state.length() != 5 ? null : state.substring(0, 2);
    }

    /**
     * True when the same work may well succeed if tried again later, unchanged: the connection
     * was lost or could not be made (but not a refused login), a pool or connect deadline
     * passed, the transaction was rolled back as a serialization failure (40001) or deadlock
     * victim (40P01), the server is shutting down or starting (57P01, 57P02, 57P03), has too
     * many connections (53300) or lacks resources for now (53000, 53200, 53400), a lock was not
     * available (55P03), or any class 08 connection exception. A web app answers these with
     * 503; everything else is a lasting failure of the request itself.
     *
     * <p>Retrying is the caller's decision: after a {@link ConnectionException} whose
     * {@link ConnectionException#requestSent()} is true a non-idempotent statement may already
     * have run, and a rolled-back transaction must be retried from its start.
     *
     * <pre>{@code
     * } catch (PgException e) {
     *     int status = e.isTransient() ? 503 : e instanceof DataException ? 400 : 500;
     * }
     * }</pre>
     */
    public boolean isTransient() {
        if (this instanceof AuthenticationException) {
            return false;
        }
        if (this instanceof ConnectionException || this instanceof PgTimeoutException) {
            return true;
        }
        String state = sqlState();
        if (state == null) {
            return false;
        }
        return state.startsWith("08") || switch (state) {
            case SqlState.SERIALIZATION_FAILURE, SqlState.DEADLOCK_DETECTED,
                 SqlState.ADMIN_SHUTDOWN, SqlState.CRASH_SHUTDOWN, SqlState.CANNOT_CONNECT_NOW,
                 SqlState.TOO_MANY_CONNECTIONS, SqlState.INSUFFICIENT_RESOURCES,
                 SqlState.OUT_OF_MEMORY, SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                 SqlState.LOCK_NOT_AVAILABLE -> true;
            default -> false;
        };
    }

    /** True when the server reported this error; false for a client-side one. */
    public boolean isServerError() {
        return !fields.isEmpty();
    }
}
