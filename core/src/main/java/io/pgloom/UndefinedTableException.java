package io.pgloom;

import java.util.Map;

/**
 * A statement names a table, view or sequence that does not exist (or is not on the
 * {@code search_path}): SQLSTATE {@code 42P01} undefined_table. Often a missing migration.
 * {@link #position()} points at the name in the query.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.fetch("SELECT * FROM audit_log");
 * } catch (UndefinedTableException e) {
 *     log.warn("run the migrations first: " + e.serverMessage());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class UndefinedTableException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public UndefinedTableException(Map<Character, String> fields) {
        super(fields);
    }
}
