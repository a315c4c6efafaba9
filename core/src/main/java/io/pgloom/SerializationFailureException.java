package io.pgloom;

import java.util.Map;

/**
 * The server could not serialize the transaction with concurrent ones (retry the transaction):
 * SQLSTATE {@code 40001} serialization_failure, in REPEATABLE READ or SERIALIZABLE isolation.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * var serializable = TransactionOptions.builder().isolation(Isolation.SERIALIZABLE).build();
 * try (Transaction tx = conn.transaction(serializable)) {
 *     conn.execute("UPDATE stock SET n = n - 1 WHERE item = $1", item);
 *     tx.commit();
 * } catch (SerializationFailureException e) {
 *     // run the whole transaction again
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class SerializationFailureException extends TransactionRollbackException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public SerializationFailureException(Map<Character, String> fields) {
        super(fields);
    }
}
