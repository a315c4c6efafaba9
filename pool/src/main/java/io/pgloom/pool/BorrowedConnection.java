package io.pgloom.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.Queries;
import io.pgloom.QueryRequest;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link PgPool#acquire()} hands out: one borrow of a pooled connection. It passes every
 * call through to the real connection until {@link #close()}, which gives the connection back
 * (once; later closes do nothing). After that every call throws, so a borrower that kept a
 * reference cannot touch the next borrower's session.
 *
 * <p>What the borrower changed is tracked by the connection itself
 * ({@link PgConnection#sessionChanges()}), which the pool reads on release. Log listeners are
 * the exception: they belong to the borrow and end with it, so adding and removing them (as
 * pgloom-jdbc does on every borrow) touches nothing the pool has to undo. When leak detection is
 * on, this also remembers where it was acquired.
 *
 * <p>One is made per borrow, so its state is plain fields updated through {@link VarHandle}s
 * rather than atomic wrapper objects.
 */
final class BorrowedConnection implements PgConnection {

    private static final VarHandle HELD;
    private static final VarHandle CALLS;
    private static final VarHandle LOG_LISTENERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HELD = lookup.findVarHandle(BorrowedConnection.class, "held", PooledConnection.class);
            CALLS = lookup.findVarHandle(BorrowedConnection.class, "calls", int.class);
            LOG_LISTENERS = lookup.findVarHandle(BorrowedConnection.class, "logListeners", Consumer[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SemaphorePool pool;
    /** The pooled connection until the borrow ends; then null. */
    private volatile PooledConnection held;
    /** Calls in flight on the real connection, plus {@link #CLOSED} once the borrower closed. */
    private volatile int calls;
    private static final int CLOSED = 1 << 30;
    /**
     * This borrow's log listeners, or null for none (left unset, so a borrow without any costs
     * no write); replaced, never changed, so a notice reads them without a lock.
     */
    private volatile Consumer<PgNotice>[] logListeners;
    private final long acquiredNanos;
    private final Throwable acquiredAt;
    private volatile boolean leakReported;

    BorrowedConnection(SemaphorePool pool, PooledConnection pooled, Throwable acquiredAt) {
        this.pool = pool;
        this.held = pooled;
        this.acquiredNanos = System.nanoTime();
        this.acquiredAt = acquiredAt;
    }

    /**
     * Runs one call on the real connection, counted as in flight: a {@link #close()} from another
     * thread meanwhile closes the real connection before giving it back, so a call that passed
     * the check can never run on the next borrower's session (the check-then-act race).
     */
    private <T> T call(java.util.function.Function<PgConnection, T> body) {
        PgConnection connection = enter();
        try {
            return body.apply(connection);
        } finally {
            exit();
        }
    }

    private void act(Consumer<PgConnection> body) {
        call(c -> {
            body.accept(c);
            return null;
        });
    }

    private PgConnection enter() {
        while (true) {
            int s = calls;
            // Read before the count goes up: a close that comes after it may clear the field,
            // but then closes the real connection first, so this call fails rather than running
            // on the next borrower's session.
            PooledConnection pooled = held;
            if ((s & CLOSED) != 0 || pooled == null) {
                throw released();
            }
            if (CALLS.compareAndSet(this, s, s + 1)) {
                return pooled.connection;
            }
        }
    }

    private void exit() {
        CALLS.getAndAdd(this, -1);
    }

    void checkHeld() {
        if ((calls & CLOSED) != 0) {
            throw released();
        }
    }

    private static PgException released() {
        return new PgException("connection was released to the pool: it was closed (given back) earlier;"
                + " acquire another one from the pool");
    }

    // ---- for the pool ----

    /** The real connection while borrowed, or null; for the pool's terminate and leak report. */
    PooledConnection pooled() {
        return held;
    }

    long heldNanos(long nowNanos) {
        return nowNanos - acquiredNanos;
    }

    Throwable acquiredAt() {
        return acquiredAt;
    }

    /** True the first time only, so a leak is reported once per borrow. */
    boolean markLeakReported() {
        if (leakReported) {
            return false;
        }
        leakReported = true;
        return true;
    }

    boolean leakReported() {
        return leakReported;
    }

    // ---- PgConnection ----

    @Override
    public <T> T run(QueryRequest<T> request) {
        return call(c -> c.run(request));
    }

    @Override
    public Queries withTimeout(Duration timeout) {
        act(c -> c.withTimeout(timeout)); // checks the timeout now, as the real connection would
        return new TimedQueries(this, timeout);
    }

    /** {@link #withTimeout}'s view: checked against the borrow on every call, like the rest. */
    private record TimedQueries(BorrowedConnection borrowed, Duration timeout) implements Queries {
        @Override
        public <T> T run(QueryRequest<T> request) {
            return borrowed.call(c -> c.withTimeout(timeout).run(request));
        }
    }

    @Override
    public Duration ping(Duration timeout) {
        return call(c -> c.ping(timeout));
    }

    @Override
    public io.pgloom.RowCursor cursor(String sql, Object... args) {
        return call(c -> c.cursor(sql, args));
    }

    @Override
    public io.pgloom.RowCursor cursor(int batchRows, String sql, Object... args) {
        return call(c -> c.cursor(batchRows, sql, args));
    }

    @Override
    public io.pgloom.PreparedQuery prepare(String sql) {
        return call(c -> c.prepare(sql));
    }

    @Override
    public io.pgloom.Pipeline pipeline() {
        return call(c -> c.pipeline());
    }

    @Override
    public io.pgloom.Pipeline atomicPipeline() {
        return call(c -> c.atomicPipeline());
    }

    @Override
    public Transaction transaction() {
        return new BorrowedTransaction(this, call(c -> c.transaction()));
    }

    @Override
    public Transaction transaction(TransactionOptions options) {
        return new BorrowedTransaction(this, call(c -> c.transaction(options)));
    }

    @Override
    public boolean isInTransaction() {
        return call(c -> c.isInTransaction());
    }

    /** True once given back to the pool, or when the real connection closed. */
    @Override
    public boolean isClosed() {
        PooledConnection pooled = held;
        return pooled == null || (calls & CLOSED) != 0 || pooled.connection.isClosed();
    }

    @Override
    public void cancel() {
        // After release a cancel would hit whatever the next borrower runs: refuse it.
        act(c -> c.cancel());
    }

    @Override
    public Duration commandTimeout() {
        return call(c -> c.commandTimeout());
    }

    @Override
    public void setCommandTimeout(Duration timeout) {
        act(c -> c.setCommandTimeout(timeout));
    }

    @Override
    public int serverVersion() {
        return call(c -> c.serverVersion());
    }

    @Override
    public int serverPid() {
        return call(c -> c.serverPid());
    }

    @Override
    public Map<String, String> serverParameters() {
        return call(c -> c.serverParameters());
    }

    @Override
    public void addListener(String channel, Consumer<io.pgloom.PgNotification> callback) {
        act(c -> c.addListener(channel, callback));
    }

    @Override
    public void removeListener(String channel, Consumer<io.pgloom.PgNotification> callback) {
        act(c -> c.removeListener(channel, callback));
    }

    @Override
    public int waitForNotifications(Duration timeout) {
        return call(c -> c.waitForNotifications(timeout));
    }

    @Override
    public long copyToTable(String table, java.io.InputStream source, String... options) {
        return call(c -> c.copyToTable(table, source, options));
    }

    @Override
    public long copyFromTable(String table, java.io.OutputStream sink, String... options) {
        return call(c -> c.copyFromTable(table, sink, options));
    }

    @Override
    public long copyFromQuery(String query, java.io.OutputStream sink, String... options) {
        return call(c -> c.copyFromQuery(query, sink, options));
    }

    @Override
    public long copyRecordsToTable(String table, Iterable<Object[]> records, String... columns) {
        return call(c -> c.copyRecordsToTable(table, records, columns));
    }

    @Override
    public <T> void setTypeCodec(String typeName, String schema, io.pgloom.codec.TypeCodec<T> codec) {
        act(c -> c.setTypeCodec(typeName, schema, codec));
    }

    @Override
    public void resetTypeCodec(String typeName, String schema) {
        act(c -> c.resetTypeCodec(typeName, schema));
    }

    @Override
    public void reloadSchemaState() {
        act(c -> c.reloadSchemaState());
    }

    /** Adds a listener for this borrow only: the next borrower does not hear it. */
    @Override
    public void addLogListener(Consumer<PgNotice> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        checkHeld();
        while (true) {
            Consumer<PgNotice>[] current = logListeners;
            int n = current == null ? 0 : current.length;
            @SuppressWarnings("unchecked")
            Consumer<PgNotice>[] next = new Consumer[n + 1];
            if (n > 0) {
                System.arraycopy(current, 0, next, 0, n);
            }
            next[n] = listener;
            if (LOG_LISTENERS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    @Override
    public void removeLogListener(Consumer<PgNotice> listener) {
        checkHeld();
        while (true) {
            Consumer<PgNotice>[] current = logListeners;
            int at = current == null ? -1 : java.util.Arrays.asList(current).indexOf(listener);
            if (at < 0) {
                return;
            }
            Consumer<PgNotice>[] next = null;
            if (current.length > 1) {
                @SuppressWarnings("unchecked")
                Consumer<PgNotice>[] fewer = new Consumer[current.length - 1];
                System.arraycopy(current, 0, fewer, 0, at);
                System.arraycopy(current, at + 1, fewer, at, current.length - at - 1);
                next = fewer;
            }
            if (LOG_LISTENERS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    /** A notice the connection received while this borrow holds it; see {@link PooledConnection#forwardNotice}. */
    void hear(PgNotice notice) {
        Consumer<PgNotice>[] listeners = logListeners;
        if (listeners == null) {
            return;
        }
        for (Consumer<PgNotice> l : listeners) {
            try {
                l.accept(notice);
            } catch (RuntimeException e) {
                SemaphorePool.LOG.log(System.Logger.Level.WARNING, "a log listener failed", e);
            }
        }
    }

    /**
     * The connection's changes, plus {@link io.pgloom.SessionChange#LOG_LISTENERS} while this
     * borrow has listeners of its own (which end with it, so the pool has nothing to undo).
     */
    @Override
    public java.util.Set<io.pgloom.SessionChange> sessionChanges() {
        java.util.Set<io.pgloom.SessionChange> changes = call(c -> c.sessionChanges());
        if (logListeners == null || changes.contains(io.pgloom.SessionChange.LOG_LISTENERS)) {
            return changes;
        }
        java.util.EnumSet<io.pgloom.SessionChange> with = java.util.EnumSet.of(io.pgloom.SessionChange.LOG_LISTENERS);
        with.addAll(changes);
        return java.util.Collections.unmodifiableSet(with);
    }

    @Override
    public void resetSession() {
        act(c -> c.resetSession());
    }

    /** Refused: what a pooled connection returns to is set once, after the pool's init hook. */
    @Override
    public void markSessionClean() {
        checkHeld();
        throw new PgException("markSessionClean is not for a borrowed connection: the pool resets what a borrower"
                + " changed; set up lasting state in PoolOptions.init");
    }

    @Override
    public long roundTrips() {
        return call(c -> c.roundTrips());
    }

    /** Ends the borrow without giving the connection back; the caller does that. */
    PooledConnection takeBack() {
        return (PooledConnection) HELD.getAndSet(this, (PooledConnection) null);
    }

    /** Gives the connection back to the pool; later calls do nothing. */
    @Override
    public void close() {
        while (true) {
            int s = calls;
            if ((s & CLOSED) != 0) {
                return;
            }
            if (CALLS.compareAndSet(this, s, s | CLOSED)) {
                PooledConnection pooled = held;
                if (s != 0 && pooled != null) {
                    // A call from another thread is in flight, perhaps not yet started on the
                    // connection: close it, so that call fails instead of running on the next
                    // borrower's session; the pool discards it and opens another.
                    pooled.connection.close();
                }
                giveBack();
                return;
            }
        }
    }

    private void giveBack() {
        PooledConnection pooled = takeBack();
        if (pooled != null) {
            pool.release(this, pooled);
        }
    }

    @Override
    public String toString() {
        PooledConnection pooled = held;
        return pooled == null ? "PgConnection{released to the pool}" : "Borrowed" + pooled.connection;
    }
}
