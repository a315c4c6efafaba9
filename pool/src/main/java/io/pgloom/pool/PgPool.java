package io.pgloom.pool;

import io.pgloom.DeadlockDetectedException;
import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.Queries;
import io.pgloom.SerializationFailureException;
import io.pgloom.TransactionOptions;

import java.time.Duration;
import java.util.function.Function;

/**
 * A pool of connections that many threads share: a fair semaphore hands out turns in the order
 * threads asked, and a stack of idle connections gives each turn the most recently used one.
 *
 * <pre>{@code
 * PgPool pool = PgPool.create(PoolOptions.builder()
 *         .connectOptions(ConnectOptions.fromUri("postgresql://app@localhost/shop"))
 *         .minSize(2).maxSize(16).acquireTimeout(Duration.ofSeconds(5)).build());
 *
 * try (PgConnection conn = pool.acquire()) {            // close() gives it back
 *     conn.fetchVal("SELECT 2 ^ $1", 10);
 * }
 * Object r = pool.fetchVal("SELECT 2 ^ $1", 10);        // acquire, run, release
 * long id = pool.inTransaction(conn ->                  // BEGIN ... COMMIT, retried on 40001/40P01
 *         conn.fetchVal(Long.class, "INSERT INTO orders(item) VALUES ($1) RETURNING id", item));
 * pool.close();
 * }</pre>
 *
 * <h2>How it works</h2>
 * There are {@code maxSize} turns (permits), handed out first come, first served: an acquire
 * takes a free one when nobody waits, else queues (virtual threads park while they wait), then
 * takes the top of the idle stack or, when that is empty, opens a new connection. A connection
 * given back while callers wait goes straight to the longest-waiting one, with the turn, so no
 * connection sits idle while a caller waits. Connections are opened lazily up to
 * {@code maxSize}; a background virtual thread keeps at least {@code minSize} open and closes
 * those that outlived {@code maxLifetime} or sat idle longer than {@code idleTimeout}. The stack
 * is last-in first-out, so a lightly loaded pool keeps using a few warm connections and the rest
 * grow idle and are closed.
 *
 * <p>What {@link #acquire()} returns is a wrapper around the real connection. Closing it gives
 * the connection back. When the borrower changed nothing ({@link PgConnection#sessionChanges()}
 * is empty) that costs nothing; otherwise the connection is reset ({@link
 * PgConnection#resetSession()}: open transaction, settings, role, LISTENs, cursors, advisory
 * locks, temporary objects, SQL prepared statements, command timeout, listeners, codecs), with
 * the reset's SQL sent ahead of the next borrower's first statement in the same write; see
 * {@link PoolOptions} for what cannot be seen and {@link PoolOptions#resetEveryRelease()}. A
 * connection that is closed or broken is discarded, and one whose reset fails is closed when the
 * next borrower's statement finds out, which the pool's own query methods then run on another
 * connection (the server refused it, so it cannot run twice). The wrapper is dead from then on:
 * every call on it, and on the transactions started through it, throws "connection was released
 * to the pool". Whatever fails, the turn comes back; {@link PoolStats#availablePermits()} shows it.
 *
 * <p>Costs in round trips: {@code pool.fetchRow(...)} and the other query methods one (acquire
 * and release included); {@code pool.inTransaction(body)} with one statement two (BEGIN rides
 * with the statement, then COMMIT).
 *
 * <h2>Pipelining</h2>
 * The pool's own query methods ({@code execute}, {@code fetch}, {@code fetchRow},
 * {@code fetchVal}, and {@code executeMany} of a single argument list) do not take a connection
 * each: each request is pipelined,
 * onto a connection shared with other callers (with its own Sync, or one shared by the plain
 * reads written together: see {@link io.pgloom.ConnectOptions.Builder#groupedReads}) (up to
 * {@link PoolOptions#pipelining()} in flight per connection), and its caller blocks as usual
 * until its own reply is in. A request of a statement whose replies lately came within a
 * millisecond joins a connection already carrying up to three such requests, so that a few callers
 * share a write, a read and one wake-up of the server; any other goes to an idle connection, else to a new one while
 * a permit is free, else to the one with the fewest in flight; the rest wait in line. While the
 * pool has room to spare, a request that finds an idle connection runs on it directly, on the
 * caller's thread: with few callers there is no write to share, and the hand-offs to the
 * connection's reader thread would cost more than the query. Requests sent to that connection
 * meanwhile wait until it ends, as they would have queued behind it (and go to another
 * connection if it ends by breaking this one: none of them was sent). A slow
 * statement delays only the requests queued behind it on its connection (no quick statement
 * joins a connection whose reply is more than a millisecond late), and the plain reads
 * that went out in the same write, ahead of it, which share its Sync (see
 * {@link io.pgloom.ConnectOptions.Builder#groupedReads}). One caller's error,
 * timeout or interrupt never touches another's request (see {@link io.pgloom.SharedConnection}),
 * and a connection that dies fails exactly the requests on it.
 *
 * <p><b>What keeps a connection to itself.</b> {@link #acquire()}, {@link #inTransaction},
 * cursors, COPY, LISTEN and codec changes (all through a borrowed connection), {@code executeMany}
 * of several argument lists (a batch: there it runs as multi-row inserts, and it would hold up the
 * small requests queued behind it on a shared connection), and every statement
 * that changes or depends on the session, which the query methods recognize and run on a
 * connection of its own instead: {@code SET}, {@code RESET}, {@code set_config},
 * {@code LISTEN}/{@code UNLISTEN}, temporary tables, transaction control, cursors,
 * {@code PREPARE}, session advisory locks, {@code COPY}, {@code CALL}, {@code DO} and several
 * statements in one string ({@link io.pgloom.SharedConnection#changesSession} is the rule).
 * {@code pipelining(1)}, a statement cache size of 0, or {@code transaction_pooler} (PgBouncer in transaction mode) turns
 * pipelining off.
 *
 * <p>The query methods of {@link Queries} borrow a connection for one statement each. They, and
 * every method here, may be called from any number of threads at once. A borrowed connection
 * belongs to its borrower: like any {@link PgConnection} it serves one operation at a time.
 */
public interface PgPool extends Queries, AutoCloseable {

    /**
     * A pool with these options. It opens no connection itself; the first acquires (and the
     * background filler, up to {@code minSize}) do, so an application may start before its
     * database does.
     */
    static PgPool create(PoolOptions options) {
        return new SemaphorePool(options);
    }

    /**
     * Borrows a connection, waiting up to {@link PoolOptions#acquireTimeout()}; close it to give
     * it back.
     *
     * @throws PgTimeoutException when none was free in time; the message says how many are in use
     *         and how many threads wait
     * @throws PgException "pool is closed" after {@link #close()}; a {@link io.pgloom.ConnectionException}
     *         when a new connection could not be opened
     */
    PgConnection acquire();

    /** Borrows a connection, waiting up to {@code timeout} (zero: only if one is free now). */
    PgConnection acquire(Duration timeout);

    /**
     * Runs {@code body} in a transaction on one borrowed connection and commits, running it again
     * (on a connection borrowed afresh, after a jittered, growing pause) when the server failed it
     * with a {@link SerializationFailureException} (40001) or {@link DeadlockDetectedException}
     * (40P01), up to {@link PoolOptions#maxTransactionAttempts()} times in all; after the last,
     * that exception is thrown. Any other exception rolls back and propagates at once. The body
     * may run more than once, so it must not have effects outside the database that it cannot
     * repeat.
     *
     * <pre>{@code
     * int balance = pool.inTransaction(conn -> {
     *     int b = conn.fetchVal(Integer.class, "SELECT balance FROM accounts WHERE id = $1", id);
     *     conn.execute("UPDATE accounts SET balance = $1 WHERE id = $2", b - 10, id);
     *     return b - 10;
     * });
     * }</pre>
     */
    <T> T inTransaction(Function<PgConnection, T> body);

    /** {@link #inTransaction(Function)} with isolation, read-only and deferrable options. */
    <T> T inTransaction(TransactionOptions options, Function<PgConnection, T> body);

    /**
     * Checks that the database answers, for a health endpoint: one empty-query round trip on an
     * idle connection when one is free now, else on a short-lived connection of its own, so a
     * health check never waits behind borrowers in {@link #acquire()}'s queue. Bounded by
     * {@code timeout}, which also bounds opening that connection.
     *
     * <pre>{@code
     * try {
     *     Duration rtt = pool.ping(Duration.ofSeconds(1));   // UP
     * } catch (PgException e) {
     *     // DOWN: e.getMessage() says why
     * }
     * }</pre>
     *
     * @return how long the round trip took (without connecting)
     * @throws PgException when the database did not answer in time, could not be reached, or the
     *         pool is closed
     */
    default Duration ping(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new PgException("ping: timeout must be positive, not " + timeout);
        }
        if (isClosed()) {
            throw new PgException("pool is closed");
        }
        PgConnection idle = null;
        PoolStats now = stats();
        if (now.availablePermits() > 0 && now.waiting() == 0) {   // else: do not queue behind borrowers
            try {
                idle = acquire(Duration.ZERO);
            } catch (PgTimeoutException justTaken) {
                // another thread took the last turn since: fall through to a connection of our own
            }
        }
        if (idle != null) {
            try (PgConnection c = idle) {
                return c.ping(timeout);
            }
        }
        ConnectOptions side = options().connectOptions().toBuilder()
                .connectTimeout(timeout).queryListener(null).build();
        try (PgConnection c = PgConnection.connect(side)) {
            return c.ping(timeout);
        }
    }

    /**
     * Borrows a connection and opens a cursor on it (see {@link PgConnection#cursor}); the
     * connection stays borrowed until the cursor is closed, so close it, with try-with-resources:
     * {@code try (RowCursor cur = pool.cursor("SELECT * FROM events")) { for (Row r : cur) ... }}.
     */
    io.pgloom.RowCursor cursor(String sql, Object... args);

    /**
     * Streams a query's rows mapped to a {@code record}, through {@link #cursor}; closing the
     * stream gives the connection back.
     */
    default <R> java.util.stream.Stream<R> stream(Class<R> recordType, String sql, Object... args) {
        return cursor(sql, args).stream().map(row -> row.as(recordType));
    }

    /** A snapshot of sizes and totals. */
    PoolStats stats();

    /**
     * The pool's query methods with a timeout of their own instead of each connection's command
     * timeout: {@code pool.withTimeout(Duration.ofMillis(200)).fetchRow(...)}. A pipelined
     * request that times out before the server started it is dropped (or, when already written,
     * its reply discarded); one that the server is running is canceled there.
     */
    Queries withTimeout(Duration timeout);

    /** The options this pool was created with. */
    PoolOptions options();

    /** True once {@link #close()} or {@link #terminate()} began. */
    boolean isClosed();

    /**
     * Closes the pool: new acquires fail at once with "pool is closed" (threads already waiting
     * too), idle connections are closed, borrowed ones are waited for up to
     * {@link PoolOptions#closeTimeout()} and then closed under their borrowers. Idempotent.
     */
    @Override
    void close();

    /** {@link #close()}, waiting up to {@code timeout} for borrowed connections. */
    void close(Duration timeout);

    /** Closes every connection now, borrowed or not, and refuses new acquires. */
    void terminate();
}
