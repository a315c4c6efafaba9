package io.pgloom;

import java.time.Duration;
import java.time.Instant;

/**
 * Hears every query a connection runs, after it ended: the hook a tracer (OpenTelemetry, a
 * Micrometer observation, a slow-query log) hangs on. Set it on {@link ConnectOptions}, and every
 * connection opened with those options (a pool's too) reports to it.
 *
 * <pre>{@code
 * ConnectOptions options = ConnectOptions.fromUri(url).toBuilder()
 *         .queryListener(q -> {
 *             if (q.duration().toMillis() > 200) {
 *                 log.warn("slow query (" + q.duration().toMillis() + " ms, pid " + q.serverPid() + "): " + q.sql());
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>A span for OpenTelemetry is built from the event with its own start time:
 * {@code tracer.spanBuilder("SELECT").setStartTimestamp(q.start()).startSpan()}, then ended at
 * {@code q.start().plus(q.duration())}. The listener is called on the thread that ran the query,
 * right after it ended and before the query method returns, so the caller's context (the current
 * span) is still current; it must be thread-safe and quick. An exception it throws is logged and
 * ignored. The query methods ({@code execute}, {@code executeMany}, {@code fetch},
 * {@code fetchRow}, {@code fetchVal}, on a connection, a timed view or a pool) report; COPY,
 * LISTEN and transaction control do not.
 */
@FunctionalInterface
public interface QueryListener {

    /** Called once per query, when it ended, successfully or not. */
    void queryEnded(Query query);

    /**
     * One query that ran.
     *
     * @param sql the SQL text as given, with {@code $n} placeholders (never the parameter values)
     * @param start when the query was handed to the connection
     * @param duration how long it took, including waiting for the reply and decoding rows
     * @param rows the rows fetched or affected (from the command tag), or -1 when unknown
     *        ({@code executeMany}, a statement without a row count)
     * @param error the exception the query ended with, or null when it succeeded
     * @param serverPid the server process that ran it ({@link PgConnection#serverPid()})
     */
    record Query(String sql, Instant start, Duration duration, long rows, PgException error, int serverPid) {
    }
}
