package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of an exclusion constraint (such as
 * {@code EXCLUDE USING gist (room WITH =, during WITH &&)}): SQLSTATE {@code 23P01}
 * exclusion_violation. {@link #constraint()} names it and {@link #detail()} shows the
 * conflicting keys.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("INSERT INTO bookings (room, during) VALUES ($1, $2::tstzrange)", room, range);
 * } catch (ExclusionViolationException e) {
 *     return "the room is taken then";
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class ExclusionViolationException extends IntegrityConstraintViolationException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public ExclusionViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
