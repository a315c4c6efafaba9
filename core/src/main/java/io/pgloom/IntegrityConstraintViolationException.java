package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because it would break a constraint: SQLSTATE class
 * {@code 23}. The subclasses name the constraint kind ({@link UniqueViolationException},
 * {@link ForeignKeyViolationException}, {@link NotNullViolationException},
 * {@link CheckViolationException}, {@link ExclusionViolationException}); this class itself is
 * thrown for the rest of the class, such as {@code 23001} restrict_violation. {@link #constraint()},
 * {@link #table()} and {@link #schema()} name what was violated, where the server says.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("DELETE FROM customers WHERE id = $1", id);
 * } catch (IntegrityConstraintViolationException e) {
 *     return "cannot delete: " + e.constraint();
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class IntegrityConstraintViolationException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public IntegrityConstraintViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
