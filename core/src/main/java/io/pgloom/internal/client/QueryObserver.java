package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.QueryListener;
import io.pgloom.QueryRequest;
import io.pgloom.Row;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Reports each query that ends to the {@link QueryListener} of the connection's options and, while
 * a recording asks for it, as an {@code io.pgloom.Query} JFR event. With neither, a query pays one
 * null check and one volatile read. Stateless apart from its settings; thread-safe.
 */
final class QueryObserver {

    private static final System.Logger LOG = System.getLogger("io.pgloom");

    private final QueryListener listener;
    private final IntSupplier serverPid;

    QueryObserver(QueryListener listener, IntSupplier serverPid) {
        this.listener = listener;
        this.serverPid = serverPid;
    }

    <T> T observe(QueryRequest<T> request, Supplier<T> body) {
        return observe(request.sql(), body);
    }

    /** Reports {@code body}, a query on {@code sql} (a prepared query's run), as it ends. */
    <T> T observe(String sql, Supplier<T> body) {
        boolean jfr = Jfr.queryEnabled();
        if (listener == null && !jfr) {
            return body.get();
        }
        Object event = jfr ? Jfr.queryStarted() : null;
        long startNanos = System.nanoTime();
        Instant start = listener == null ? null : Instant.now();
        T result = null;
        PgException error = null;
        try {
            result = body.get();
            return result;
        } catch (PgException e) {
            error = e;
            throw e;
        } finally {
            report(sql, event, startNanos, start, error == null ? rows(result) : -1, error);
        }
    }

    /**
     * A query whose end comes later, a cursor's: from its start until the last row was read, it
     * failed or it was closed; report it with {@link Pending#ended}, once.
     */
    Pending started(String sql) {
        boolean jfr = Jfr.queryEnabled();
        if (listener == null && !jfr) {
            return null;
        }
        return new Pending(sql, jfr ? Jfr.queryStarted() : null, System.nanoTime(),
                listener == null ? null : Instant.now());
    }

    /** See {@link #started}; null when nobody listens. */
    final class Pending {
        private final String sql;
        private final Object event;
        private final long startNanos;
        private final Instant start;
        private boolean reported;

        private Pending(String sql, Object event, long startNanos, Instant start) {
            this.sql = sql;
            this.event = event;
            this.startNanos = startNanos;
            this.start = start;
        }

        void ended(long rows, PgException error) {
            if (!reported) {
                reported = true;
                report(sql, event, startNanos, start, error == null ? rows : -1, error);
            }
        }
    }

    private void report(String sql, Object event, long startNanos, Instant start, long rows, PgException error) {
        long nanos = System.nanoTime() - startNanos;
        if (event != null) {
            Jfr.queryEnded(event, sql, rows, error, serverPid.getAsInt());
        }
        if (listener != null) {
            try {
                listener.queryEnded(new QueryListener.Query(sql, start, Duration.ofNanos(nanos), rows,
                        error, serverPid.getAsInt()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a query listener failed", e);
            }
        }
    }

    /** Rows fetched, or the count at the end of a command tag ("INSERT 0 5", "UPDATE 3"), else -1. */
    static long rows(Object result) {
        if (result instanceof List<?> rows) {
            return rows.size();
        }
        if (result instanceof Row) {
            return 1;
        }
        if (result instanceof String tag) {
            int space = tag.lastIndexOf(' ');
            if (space < 0 || space == tag.length() - 1) {
                return -1;
            }
            long n = 0;
            for (int i = space + 1; i < tag.length(); i++) {
                char c = tag.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }
        return -1;
    }
}
