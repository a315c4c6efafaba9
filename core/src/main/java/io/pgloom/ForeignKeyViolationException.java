package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a foreign key: SQLSTATE {@code 23503}
 * foreign_key_violation, a referenced row is missing or a row still referenced was to be
 * deleted. {@link #constraint()} names the key and {@link #detail()} the values.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("INSERT INTO orders (customer_id) VALUES ($1)", customerId);
 * } catch (ForeignKeyViolationException e) {
 *     return "no such customer";
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class ForeignKeyViolationException extends IntegrityConstraintViolationException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public ForeignKeyViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
