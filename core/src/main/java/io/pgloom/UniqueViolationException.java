package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a unique constraint or unique index: SQLSTATE
 * {@code 23505} unique_violation. {@link #constraint()} names it and {@link #detail()} shows the
 * key, as in {@code Key (email)=(bob@example.com) already exists.}
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("INSERT INTO users (email) VALUES ($1)", email);
 * } catch (UniqueViolationException e) {
 *     return "already registered";
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class UniqueViolationException extends IntegrityConstraintViolationException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public UniqueViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
