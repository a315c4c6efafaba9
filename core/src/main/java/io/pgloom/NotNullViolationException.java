package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because it would store a null in a NOT NULL column: SQLSTATE
 * {@code 23502} not_null_violation. {@link #column()} and {@link #table()} name the column.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("INSERT INTO users (email) VALUES ($1)", (Object) null);
 * } catch (NotNullViolationException e) {
 *     return e.column() + " is required";
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class NotNullViolationException extends IntegrityConstraintViolationException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public NotNullViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
