package io.pgloom.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.Queries;
import io.pgloom.QueryRequest;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What {@link PgPool#acquire()} hands out: one borrow of a pooled connection. It passes every
 * call through to the real connection until {@link #close()}, which gives the connection back
 * (once; later closes do nothing). After that every call throws, so a borrower that kept a
 * reference cannot touch the next borrower's session.
 *
 * <p>What the borrower changed is tracked by the connection itself
 * ({@link PgConnection#sessionChanges()}), which the pool reads on release. When leak detection
 * is on, this also remembers where it was acquired.
 */
final class BorrowedConnection implements PgConnection {

    private final SemaphorePool pool;
    private final AtomicReference<PooledConnection> held;
    private final long acquiredNanos;
    private final Throwable acquiredAt;
    private volatile boolean leakReported;

    BorrowedConnection(SemaphorePool pool, PooledConnection pooled, Throwable acquiredAt) {
        this.pool = pool;
        this.held = new AtomicReference<>(pooled);
        this.acquiredNanos = System.nanoTime();
        this.acquiredAt = acquiredAt;
    }

    /** The real connection, or an error when this borrow has ended. */
    private PgConnection live() {
        PooledConnection pooled = held.get();
        if (pooled == null) {
            throw released();
        }
        return pooled.connection;
    }

    void checkHeld() {
        if (held.get() == null) {
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
        return held.get();
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
        return live().run(request);
    }

    @Override
    public Queries withTimeout(Duration timeout) {
        live().withTimeout(timeout); // checks the timeout now, as the real connection would
        return new TimedQueries(this, timeout);
    }

    /** {@link #withTimeout}'s view: checked against the borrow on every call, like the rest. */
    private record TimedQueries(BorrowedConnection borrowed, Duration timeout) implements Queries {
        @Override
        public <T> T run(QueryRequest<T> request) {
            return borrowed.live().withTimeout(timeout).run(request);
        }
    }

    @Override
    public Duration ping(Duration timeout) {
        return live().ping(timeout);
    }

    @Override
    public io.pgloom.RowCursor cursor(String sql, Object... args) {
        return live().cursor(sql, args);
    }

    @Override
    public io.pgloom.RowCursor cursor(int batchRows, String sql, Object... args) {
        return live().cursor(batchRows, sql, args);
    }

    @Override
    public io.pgloom.PreparedQuery prepare(String sql) {
        return live().prepare(sql);
    }

    @Override
    public io.pgloom.Pipeline pipeline() {
        return live().pipeline();
    }

    @Override
    public io.pgloom.Pipeline atomicPipeline() {
        return live().atomicPipeline();
    }

    @Override
    public Transaction transaction() {
        return new BorrowedTransaction(this, live().transaction());
    }

    @Override
    public Transaction transaction(TransactionOptions options) {
        return new BorrowedTransaction(this, live().transaction(options));
    }

    @Override
    public boolean isInTransaction() {
        return live().isInTransaction();
    }

    /** True once given back to the pool, or when the real connection closed. */
    @Override
    public boolean isClosed() {
        PooledConnection pooled = held.get();
        return pooled == null || pooled.connection.isClosed();
    }

    @Override
    public void cancel() {
        // After release a cancel would hit whatever the next borrower runs: refuse it.
        live().cancel();
    }

    @Override
    public Duration commandTimeout() {
        return live().commandTimeout();
    }

    @Override
    public void setCommandTimeout(Duration timeout) {
        live().setCommandTimeout(timeout);
    }

    @Override
    public int serverVersion() {
        return live().serverVersion();
    }

    @Override
    public int serverPid() {
        return live().serverPid();
    }

    @Override
    public Map<String, String> serverParameters() {
        return live().serverParameters();
    }

    @Override
    public void addListener(String channel, Consumer<io.pgloom.PgNotification> callback) {
        live().addListener(channel, callback);
    }

    @Override
    public void removeListener(String channel, Consumer<io.pgloom.PgNotification> callback) {
        live().removeListener(channel, callback);
    }

    @Override
    public int waitForNotifications(Duration timeout) {
        return live().waitForNotifications(timeout);
    }

    @Override
    public long copyToTable(String table, java.io.InputStream source, String... options) {
        return live().copyToTable(table, source, options);
    }

    @Override
    public long copyFromTable(String table, java.io.OutputStream sink, String... options) {
        return live().copyFromTable(table, sink, options);
    }

    @Override
    public long copyFromQuery(String query, java.io.OutputStream sink, String... options) {
        return live().copyFromQuery(query, sink, options);
    }

    @Override
    public long copyRecordsToTable(String table, Iterable<Object[]> records, String... columns) {
        return live().copyRecordsToTable(table, records, columns);
    }

    @Override
    public <T> void setTypeCodec(String typeName, String schema, io.pgloom.codec.TypeCodec<T> codec) {
        live().setTypeCodec(typeName, schema, codec);
    }

    @Override
    public void resetTypeCodec(String typeName, String schema) {
        live().resetTypeCodec(typeName, schema);
    }

    @Override
    public void reloadSchemaState() {
        live().reloadSchemaState();
    }

    @Override
    public void addLogListener(Consumer<PgNotice> listener) {
        live().addLogListener(listener);
    }

    @Override
    public void removeLogListener(Consumer<PgNotice> listener) {
        live().removeLogListener(listener);
    }

    @Override
    public java.util.Set<io.pgloom.SessionChange> sessionChanges() {
        return live().sessionChanges();
    }

    @Override
    public void resetSession() {
        live().resetSession();
    }

    /** Refused: what a pooled connection returns to is set once, after the pool's init hook. */
    @Override
    public void markSessionClean() {
        live();
        throw new PgException("markSessionClean is not for a borrowed connection: the pool resets what a borrower"
                + " changed; set up lasting state in PoolOptions.init");
    }

    @Override
    public long roundTrips() {
        return live().roundTrips();
    }

    /** Gives the connection back to the pool; later calls do nothing. */
    /** Ends the borrow without giving the connection back; the caller does that. */
    PooledConnection takeBack() {
        return held.getAndSet(null);
    }

    @Override
    public void close() {
        PooledConnection pooled = held.getAndSet(null);
        if (pooled != null) {
            pool.release(this, pooled);
        }
    }

    @Override
    public String toString() {
        PooledConnection pooled = held.get();
        return pooled == null ? "PgConnection{released to the pool}" : "Borrowed" + pooled.connection;
    }
}
