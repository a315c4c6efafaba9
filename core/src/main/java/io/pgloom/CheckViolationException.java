package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a check constraint: SQLSTATE {@code 23514}
 * check_violation. {@link #constraint()} names the constraint.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", amount, id);
 * } catch (CheckViolationException e) {
 *     return "refused by " + e.constraint();
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class CheckViolationException extends IntegrityConstraintViolationException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public CheckViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
