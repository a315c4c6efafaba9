package io.pgloom;

import java.time.Duration;

/**
 * A connection's query methods for any number of threads at once: each call's statement is
 * pipelined onto the one connection, calls that arrive together go out in one write, and each
 * caller gets its own reply, in order. Each statement has its own Sync, except plain reads that
 * go out together, which share one (see {@link ConnectOptions.Builder#groupedReads}). A pool's
 * query methods use this to let many virtual threads share a few connections.
 *
 * <pre>{@code
 * SharedConnection shared = conn.shared();
 * // from many threads at once:
 * Row user = shared.fetchRow("SELECT * FROM users WHERE id = $1", id);
 * }</pre>
 *
 * <p><b>What may run here.</b> Single statements in autocommit that leave nothing behind in the
 * session. Statements that change or depend on session state would leak into every other
 * caller's statements, so they are refused with a {@link PgException} before anything is sent:
 * {@code SET}/{@code RESET}/{@code set_config}, {@code LISTEN}/{@code UNLISTEN}, temporary tables,
 * transaction control ({@code BEGIN}, {@code COMMIT}, ...), cursors, {@code PREPARE}, session
 * advisory locks, {@code COPY}, {@code CALL}, {@code DO}, and several statements in one string;
 * {@link #changesSession} tells them apart. Run those on a connection of your own.
 *
 * <p><b>Isolation.</b> One caller's error, timeout or interrupt does not touch another's
 * request: a request that times out before it was written is never sent; one that the server
 * has not started yet is left to run and its reply discarded; only the one the server is running
 * gets a CancelRequest. If the connection breaks, exactly the requests on it fail, each with a
 * {@link ConnectionException} whose {@link ConnectionException#requestSent()} says whether it may
 * have run.
 *
 * <p>While any request is in flight, the connection's own methods fail with "connection busy",
 * and while one of them runs, requests here do. Thread-safe.
 */
public interface SharedConnection extends Queries {

    /** A view whose queries time out after {@code timeout} (zero: none) instead of the connection's command timeout. */
    SharedConnection withTimeout(Duration timeout);

    /** Requests written or waiting to be written on this connection whose replies have not all come. */
    int inFlight();

    /**
     * Why {@code sql} may not run on a shared connection (see the class comment), or null when
     * it may.
     *
     * @param withoutArguments true when it would run without parameters, where a string of
     *        several statements is possible
     */
    static String changesSession(String sql, boolean withoutArguments) {
        return io.pgloom.internal.client.SharedQueries.changesSession(sql, withoutArguments);
    }
}
