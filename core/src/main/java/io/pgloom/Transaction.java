package io.pgloom;

/**
 * A transaction block, or a savepoint when opened inside another transaction. Closing it without
 * {@link #commit()} rolls it back, so try-with-resources never leaves one open:
 *
 * <pre>{@code
 * try (Transaction tx = conn.transaction()) {
 *     conn.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2", 100, 1);
 *     conn.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", 100, 2);
 *     tx.commit();
 * }
 * }</pre>
 *
 * <p>Misuse is an error: committing twice, committing after a rollback, using an outer
 * transaction while an inner one is open, or closing them out of order. Not thread-safe; it
 * belongs to the thread that uses its connection.
 */
public interface Transaction extends AutoCloseable {

    /** Commits (or releases the savepoint). A COMMIT the server rolls back throws its error. */
    void commit();

    /** Rolls back (or rolls back to the savepoint and releases it). */
    void rollback();

    /** True while neither commit nor rollback has ended it. */
    boolean isActive();

    /** Rolls back unless {@link #commit()} or {@link #rollback()} already ended it. */
    @Override
    void close();
}
