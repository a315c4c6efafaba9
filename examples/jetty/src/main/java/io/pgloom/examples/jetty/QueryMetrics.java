package io.pgloom.examples.jetty;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pgloom.QueryListener;

import java.time.Duration;

/**
 * A {@link QueryListener}: every query timed in Micrometer as {@code pgloom.queries}, tagged with
 * its outcome (the SQLSTATE class, or {@code ok}), and queries slower than a threshold logged
 * with their SQL, duration and server pid. A tracer plugs in the same way: OpenTelemetry's
 * {@code tracer.spanBuilder(q.sql()).setStartTimestamp(q.start()).startSpan()}, then
 * {@code span.end(q.start().plus(q.duration()))}.
 */
final class QueryMetrics implements QueryListener {

    private static final System.Logger LOG = System.getLogger("io.pgloom.examples.jetty.slow-queries");

    private final MeterRegistry registry;
    private final Duration slow;

    QueryMetrics(MeterRegistry registry, Duration slow) {
        this.registry = registry;
        this.slow = slow;
    }

    @Override
    public void queryEnded(Query q) {
        String outcome = q.error() == null ? "ok"
                : q.error().sqlStateClass() != null ? q.error().sqlStateClass() : q.error().isTransient() ? "connection" : "client";
        Timer.builder("pgloom.queries").tag("outcome", outcome).register(registry).record(q.duration());
        if (q.duration().compareTo(slow) > 0) {
            LOG.log(System.Logger.Level.WARNING, "slow query ({0} ms, {1} rows, pid {2}): {3}",
                    q.duration().toMillis(), q.rows(), q.serverPid(), q.sql());
        }
    }
}
