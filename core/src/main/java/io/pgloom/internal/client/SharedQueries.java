package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryRequest;
import io.pgloom.Row;
import io.pgloom.SharedConnection;
import io.pgloom.internal.session.PipelinedRequests;
import io.pgloom.internal.session.PipelinedSession;
import io.pgloom.internal.session.PreparedStatement;
import io.pgloom.internal.session.RowSink;
import io.pgloom.internal.session.Session;
import io.pgloom.internal.types.TypeRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SharedConnection}: the query methods over a {@link PipelinedSession}, with a statement
 * cache of its own that concurrent callers share.
 *
 * <p><b>Sharing statements.</b> The first caller of a new SQL text prepares it (Parse, Describe,
 * Sync, as a pipelined request of its own); callers of the same text meanwhile wait for that
 * prepare instead of parsing it again, and use its statement when it succeeded. When it failed,
 * timed out or was abandoned, each of them prepares it itself, so an error always belongs to the
 * caller that caused it. Its statements are named apart from the exclusive cache's
 * ({@code pgloom_p1}, ...), so both can live on one connection. An evicted statement is closed
 * in front of the next request; a caller that looked it up just before gets 26000 at its Bind,
 * before anything ran, and prepares again, as after a DISCARD ALL or a changed result type.
 */
public final class SharedQueries implements SharedConnection {

    private final Shared shared;
    private final Duration timeout;

    static {
        // Initialize what every request touches now, on the one thread that makes the first
        // shared view, not later under hundreds of callers at once: a virtual thread that waits
        // for another thread's class initialization is pinned to its carrier.
        for (Class<?> c : new Class<?>[] {PipelinedSession.class, PipelinedSession.Request.class,
                PipelinedRequests.class, PipelinedRequests.Execute.class, PipelinedRequests.Prepare.class,
                Fetch.class, RowCollector.class, Slot.class, SessionChanges.class, ParamValues.class,
                ClientRow.class, QueryRequest.Fetch.class, QueryRequest.Execute.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    SharedQueries(ClientConnection connection, Session session, java.util.concurrent.locks.ReentrantLock exclusive,
                  TypeRegistry types, int capacity) {
        this(new Shared(connection, new PipelinedSession(session, exclusive, connection::hasOpenCursor,
                connection.options().groupedReads()), types, Math.max(capacity, 16)), null);
    }

    private SharedQueries(Shared shared, Duration timeout) {
        this.shared = shared;
        this.timeout = timeout;
    }

    /** See {@link SharedConnection#changesSession}. */
    public static String changesSession(String sql, boolean withoutArguments) {
        return SessionChanges.reason(sql, withoutArguments);
    }

    /** See {@link PipelinedSession#shutdown}. */
    boolean shutdown(String reason) {
        return shared.pipe.shutdown(reason);
    }

    boolean isActive() {
        return shared.pipe.isActive();
    }

    @Override
    public int inFlight() {
        return shared.pipe.inFlight();
    }

    @Override
    public SharedConnection withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new PgException("timeout must be zero (none) or positive, not " + timeout);
        }
        return new SharedQueries(shared, timeout);
    }

    private Duration timeout() {
        return timeout != null ? timeout : shared.connection.commandTimeout();
    }

    // ---- the query methods ----
    // No lambdas or pattern switches on this path: their call sites link on first use, and
    // hundreds of virtual threads linking one at once contend on a JDK monitor that pins them.

    private static final int EXECUTE = 0, EXECUTE_MANY = 1, FETCH = 2;

    @Override
    @SuppressWarnings("unchecked")
    public <T> T run(QueryRequest<T> request) {
        Duration t = timeout();
        if (request instanceof QueryRequest.Fetch f) {
            return (T) fetch(f.sql(), f.args(), f.limit(), t);
        }
        if (request instanceof QueryRequest.Execute e) {
            return (T) execute(e.sql(), e.args(), t);
        }
        if (request instanceof QueryRequest.ExecuteMany m) {
            check(m.sql(), false);
            if (!m.argsList().isEmpty()) {
                withStatement(m.sql(), t, EXECUTE_MANY, null, m.argsList(), 0);
            }
            return null;
        }
        throw new PgException("unknown request " + request);
    }

    private String execute(String sql, Object[] args, Duration t) {
        boolean simple = args == null || args.length == 0;
        check(sql, simple);
        if (simple) {
            var request = PipelinedRequests.Execute.unnamed(sql);
            shared.pipe.run(request, t);
            return request.tag();
        }
        return (String) withStatement(sql, t, EXECUTE, args, null, 0);
    }

    @SuppressWarnings("unchecked")
    private List<Row> fetch(String sql, Object[] args, int limit, Duration t) {
        check(sql, false);
        return (List<Row>) withStatement(sql, t, FETCH, args == null ? new Object[0] : args, null, limit);
    }

    /** Runs one request of {@code kind} with {@code statement}; returns its tag or rows. */
    private Object runWith(CachedStatement statement, int kind, Object[] args, List<Object[]> argsList, int limit,
                           Duration t) {
        if (kind == EXECUTE_MANY) {
            List<Session.BatchEntry> entries = new ArrayList<>(argsList.size());
            for (int i = 0; i < argsList.size(); i++) {
                Object[] a = argsList.get(i) == null ? new Object[0] : argsList.get(i);
                try {
                    ParamValues.checkCount(a, statement);
                } catch (PgException e) {
                    throw new PgException("executeMany: argument list " + i + ": " + e.getMessage(), e);
                }
                entries.add(new Session.BatchEntry(statement.name(), statement.parameterFormats,
                        new ParamValues(a, statement, shared.types), statement.resultFormats));
            }
            shared.pipe.run(new PipelinedRequests.Execute(entries), t);
            return null;
        }
        ParamValues.checkCount(args, statement);
        var entry = new Session.BatchEntry(statement.name(), statement.parameterFormats,
                new ParamValues(args, statement, shared.types), statement.resultFormats);
        if (kind == EXECUTE) {
            var request = new PipelinedRequests.Execute(entry, RowSink.DISCARD);
            shared.pipe.run(request, t);
            return request.tag();
        }
        RowCollector rows = new RowCollector(statement.shape, limit);
        Fetch fetch = new Fetch(entry, rows, limit);
        fetch.shareSync(statement.plainRead);
        shared.pipe.run(fetch, t);
        return rows.rows;
    }

    /** Copies up to {@code limit} rows as they arrive (on the reader's thread). */
    private static final class RowCollector implements RowSink {
        final RowShape shape;
        final int limit;
        final List<Row> rows;

        RowCollector(RowShape shape, int limit) {
            this.shape = shape;
            this.limit = limit;
            this.rows = limit == 1 ? new ArrayList<>(1) : new ArrayList<>();
        }

        @Override
        public void row(io.pgloom.internal.wire.DataRow row) {
            if (shape != null && rows.size() < limit) {
                rows.add(ClientRow.copyOf(shape, row));
            }
        }
    }

    /** A fetch whose collected rows are dropped when it is sent again. */
    private static final class Fetch extends PipelinedRequests.Execute {
        private final RowCollector rows;

        Fetch(Session.BatchEntry entry, RowCollector rows, int limit) {
            super(entry, rows, limit == Integer.MAX_VALUE ? 0 : limit);
            this.rows = rows;
        }

        @Override
        protected void reset() {
            super.reset();
            rows.rows.clear();
        }
    }

    private static void check(String sql, boolean simple) {
        if (sql == null) {
            throw new PgException("the query text is null");
        }
        int nul = sql.indexOf('\0');
        if (nul >= 0) {
            throw new PgException("the query text contains a NUL character at index " + nul);
        }
        String reason = SessionChanges.reason(sql, simple);
        if (reason != null) {
            throw new PgException("not run on a shared connection: " + reason
                    + "; run it on a connection of its own (pool.acquire())");
        }
    }

    // ---- statements ----

    /**
     * Runs {@code body} with the statement for {@code sql}; when the server no longer has it
     * (26000) or its result type changed, prepares it again and retries once. Both errors come
     * before the statement ran.
     */
    private Object withStatement(String sql, Duration t, int kind, Object[] args, List<Object[]> argsList, int limit) {
        long deadline = t.isZero() ? 0 : System.nanoTime() + t.toNanos();
        CachedStatement statement = shared.statement(sql, t, deadline);
        try {
            return runWith(statement, kind, args, argsList, limit, t);
        } catch (PgException e) {
            if (!isStalePlan(e)) {
                throw e;
            }
            shared.forget(sql, statement, "26000".equals(e.sqlState()));
            return runWith(shared.statement(sql, t, deadline), kind, args, argsList, limit, t);
        }
    }

    private static boolean isStalePlan(PgException e) {
        String state = e.sqlState();
        if ("26000".equals(state)) {
            return true;
        }
        return "0A000".equals(state) && e.serverMessage() != null
                && e.serverMessage().startsWith("cached plan must not change result type");
    }

    /** What every view of one connection shares: the pipelined session and the statement cache. */
    private static final class Shared {
        final ClientConnection connection;
        final PipelinedSession pipe;
        final TypeRegistry types;
        final int capacity;
        final ReentrantLock cacheLock = new ReentrantLock();
        final Map<String, Slot> bySql = new LinkedHashMap<>(16, 0.75f, true);
        int counter;
        /** Runs the registry's catalog queries through this shared connection. */
        final TypeRegistry.TypeLoader loader = this::loadTypes;

        Shared(ClientConnection connection, PipelinedSession pipe, TypeRegistry types, int capacity) {
            this.connection = connection;
            this.pipe = pipe;
            this.types = types;
            this.capacity = capacity;
        }

        /** The statement for {@code sql}: cached, being prepared by another caller, or prepared here. */
        CachedStatement statement(String sql, Duration t, long deadline) {
            while (true) {
                Slot slot;
                boolean mine = false;
                cacheLock.lock();
                try {
                    slot = bySql.get(sql);
                    if (slot != null && slot.statement != null) {
                        return slot.statement;
                    }
                    if (slot == null) {
                        slot = new Slot("pgloom_p" + (++counter));
                        bySql.put(sql, slot);
                        mine = true;
                        evict();
                    }
                } finally {
                    cacheLock.unlock();
                }
                if (mine) {
                    return prepare(sql, slot, t);
                }
                if (await(slot, deadline, t) != null) {
                    return slot.statement;
                }
                // The other caller's prepare failed: prepare it ourselves, so its error is ours.
            }
        }

        private CachedStatement prepare(String sql, Slot slot, Duration t) {
            try {
                var request = new PipelinedRequests.Prepare(slot.name, sql);
                pipe.run(request, t);
                PreparedStatement prepared = request.result();
                StatementCache.learnTypes(types, loader, prepared);
                CachedStatement statement = new CachedStatement(prepared, types);
                cacheLock.lock();
                try {
                    slot.statement = statement;
                } finally {
                    cacheLock.unlock();
                }
                slot.ready.complete(statement);
                return statement;
            } catch (RuntimeException | Error e) {
                cacheLock.lock();
                try {
                    bySql.remove(sql, slot);
                } finally {
                    cacheLock.unlock();
                }
                // A Parse that was sent may still create the statement: close it behind itself.
                pipe.closeStatementLater(slot.name);
                slot.ready.complete(null);
                throw e;
            }
        }

        /** Waits for another caller's prepare; null when it failed. */
        private static CachedStatement await(Slot slot, long deadline, Duration t) {
            try {
                if (deadline == 0) {
                    return slot.ready.get();
                }
                return slot.ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("interrupted while waiting for a statement to be prepared; nothing was sent");
            } catch (TimeoutException e) {
                throw new PgTimeoutException("timed out after " + t.toMillis()
                        + " ms while its statement was being prepared; it was not sent");
            } catch (ExecutionException e) {
                return null;
            }
        }

        private List<Row> loadTypes(String sql, Object... args) {
            return new SharedQueries(this, Duration.ZERO).fetch(sql, args, Integer.MAX_VALUE, Duration.ZERO);
        }

        /** Drops the least recently used prepared statements beyond capacity; the cache lock is held. */
        private void evict() {
            if (bySql.size() <= capacity) {
                return;
            }
            for (var it = bySql.values().iterator(); it.hasNext() && bySql.size() > capacity; ) {
                Slot s = it.next();
                if (s.statement != null) {
                    it.remove();
                    pipe.closeStatementLater(s.name);
                }
            }
        }

        void forget(String sql, CachedStatement statement, boolean alreadyGone) {
            cacheLock.lock();
            try {
                Slot slot = bySql.get(sql);
                if (slot != null && slot.statement == statement) {
                    bySql.remove(sql);
                    if (!alreadyGone) {
                        pipe.closeStatementLater(slot.name);
                    }
                }
            } finally {
                cacheLock.unlock();
            }
        }
    }

    /** A cache entry: its name, and the statement once prepared. */
    private static final class Slot {
        final String name;
        final CompletableFuture<CachedStatement> ready = new CompletableFuture<>();
        CachedStatement statement;

        Slot(String name) {
            this.name = name;
        }
    }
}
