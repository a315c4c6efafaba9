package io.pgloom;

import java.util.List;

/**
 * Several independent statements from one caller in one round trip: each call queues a
 * statement and returns a {@link Result} at once; {@link #sync()} sends them all in one write
 * and reads all the replies; then each result holds its statement's value or its own error.
 *
 * <pre>{@code
 * try (Pipeline p = conn.pipeline()) {
 *     Pipeline.Result<List<Row>> users = p.fetch("SELECT * FROM users WHERE id = $1", 1);
 *     Pipeline.Result<String> tag      = p.execute("UPDATE stock SET n = n - 1 WHERE id = $1", 7);
 *     p.sync();                              // send all, read all; close() syncs too
 *     users.get(); tag.get();                // a value, or that statement's own PgException
 * }
 * }</pre>
 *
 * <p><b>Independent or atomic.</b> From {@link PgConnection#pipeline()} every statement has its
 * own Sync: outside a transaction each commits on its own, and one failing does not stop the
 * others. The exception is consecutive plain reads outside a transaction, which share one Sync
 * (see {@link ConnectOptions.Builder#groupedReads}). If one of them fails, the others run again,
 * each with its own Sync, before {@link #sync()} returns. From {@link PgConnection#atomicPipeline()} they share one Sync: outside a transaction
 * they commit together or not at all; after the first error the rest are skipped, and every
 * result throws (the failed one its own error, the others one that names it).
 *
 * <p>A statement new to the connection is prepared first (one more round trip for all the new
 * ones); its parameters are then encoded as the server inferred them, as everywhere in pgloom.
 * Bad input (a wrong argument count, a value its type refuses) fails that statement's result
 * without sending it; in an atomic pipeline it fails them all and nothing is sent.
 *
 * <p>The connection is held only during {@link #sync()}, which runs under the connection's
 * command timeout; between syncs it may be used as usual. Not thread-safe: one caller. A result
 * stays valid after the pipeline closes.
 */
public interface Pipeline extends AutoCloseable {

    /** Queues a statement; its result is the command tag. */
    Result<String> execute(String sql, Object... args);

    /** Queues a query; its result is all its rows. */
    Result<List<Row>> fetch(String sql, Object... args);

    /** Queues a query; its result is its first row, or null. */
    Result<Row> fetchRow(String sql, Object... args);

    /** Queues a query; its result is the first column of its first row, or null. */
    Result<Object> fetchVal(String sql, Object... args);

    /** Queues a query; its result is the first column of its first row as {@code type}, or null. */
    <T> Result<T> fetchVal(Class<T> type, String sql, Object... args);

    /**
     * Sends every statement queued since the last sync in one write and reads their replies.
     * Statement errors go to their results; this throws only when the connection failed (then
     * every unfinished result throws the same {@link ConnectionException}) or the sync as a whole
     * timed out.
     */
    void sync();

    /** Syncs what is still queued. Idempotent. */
    @Override
    void close();

    /**
     * One statement's outcome, known after the {@link #sync()} that sent it.
     *
     * @param <T> the value's type
     */
    interface Result<T> {

        /**
         * The value, or the statement's own error.
         *
         * @throws PgException the statement's error; "not synced yet" before its sync
         */
        T get();

        /** True once its sync has run, whatever the outcome. */
        boolean isDone();
    }
}
