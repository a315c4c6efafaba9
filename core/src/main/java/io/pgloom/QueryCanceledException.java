package io.pgloom;

import java.util.Map;

/**
 * The server canceled a statement because of a cancel request or a timeout
 * ({@code statement_timeout}, a pgloom command timeout): SQLSTATE {@code 57014} query_canceled.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute("SET statement_timeout = '2s'");
 *     conn.fetch("SELECT * FROM big_report");
 * } catch (QueryCanceledException e) {
 *     return "the report took too long";
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class QueryCanceledException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public QueryCanceledException(Map<Character, String> fields) {
        super(fields);
    }
}
