package io.pgloom;

import java.util.Map;

/**
 * The server could not take a lock at once: SQLSTATE {@code 55P03} lock_not_available, from
 * {@code NOWAIT} or {@code lock_timeout}. Try later, or skip the row.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.fetch("SELECT * FROM jobs WHERE id = $1 FOR UPDATE NOWAIT", id);
 * } catch (LockNotAvailableException e) {
 *     return;   // another worker has it
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class LockNotAvailableException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public LockNotAvailableException(Map<Character, String> fields) {
        super(fields);
    }
}
