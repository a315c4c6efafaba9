package io.pgloom;

import java.util.Map;

/**
 * The server rolled back the transaction, which is usually worth running again from the start:
 * SQLSTATE class {@code 40}. The subclasses are the common cases,
 * {@link SerializationFailureException} and {@link DeadlockDetectedException}; this class itself
 * is thrown for the rest of the class, such as {@code 40002}
 * transaction_integrity_constraint_violation (a deferred constraint failing at COMMIT).
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * for (int attempt = 1; ; attempt++) {
 *     try (Transaction tx = conn.transaction()) {
 *         transfer(conn, from, to, amount);
 *         tx.commit();
 *         break;
 *     } catch (TransactionRollbackException e) {
 *         if (attempt == 5) throw e;
 *     }
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class TransactionRollbackException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public TransactionRollbackException(Map<Character, String> fields) {
        super(fields);
    }
}
