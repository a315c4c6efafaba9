package io.pgloom;

import java.util.Map;

/**
 * The server broke a deadlock by failing this transaction (retry the transaction): SQLSTATE
 * {@code 40P01} deadlock_detected. {@link #detail()} names the processes and locks involved.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try (Transaction tx = conn.transaction()) {
 *     conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = $1", from);
 *     conn.execute("UPDATE accounts SET balance = balance + 10 WHERE id = $1", to);
 *     tx.commit();
 * } catch (DeadlockDetectedException e) {
 *     // run the whole transaction again; taking locks in one order avoids this
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class DeadlockDetectedException extends TransactionRollbackException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public DeadlockDetectedException(Map<Character, String> fields) {
        super(fields);
    }
}
