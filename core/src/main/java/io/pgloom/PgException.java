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

    /** True when the server reported this error; false for a client-side one. */
    public boolean isServerError() {
        return !fields.isEmpty();
    }
}
