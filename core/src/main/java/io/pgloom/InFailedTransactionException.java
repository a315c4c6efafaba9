package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because an earlier one failed in this transaction: SQLSTATE
 * {@code 25P02} in_failed_sql_transaction ("current transaction is aborted, commands ignored
 * until end of transaction block"). The first error is the one to look at; after it, only
 * ROLLBACK (or ROLLBACK TO SAVEPOINT) works. The connection stays usable once rolled back.
 *
 * <pre>{@code
 * try (Transaction tx = conn.transaction()) {
 *     try {
 *         conn.execute("INSERT INTO a VALUES (1)");   // fails: a duplicate key
 *     } catch (UniqueViolationException e) {
 *         // ignored, but the transaction is now failed
 *     }
 *     conn.execute("INSERT INTO b VALUES (2)");       // throws InFailedTransactionException
 * }                                                   // close() rolls back
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class InFailedTransactionException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public InFailedTransactionException(Map<Character, String> fields) {
        super(fields);
    }
}
