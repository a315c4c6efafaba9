package io.pgloom.examples.jetty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolListener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A Micrometer binder for a pgloom pool, with HikariCP's meter names ({@code pgloom} for
 * {@code hikaricp}), so a HikariCP dashboard works after renaming the prefix: gauges
 * {@code pgloom.connections} (open), {@code .active}, {@code .idle}, {@code .pending},
 * {@code .max}, {@code .min}; timers {@code pgloom.connections.acquire} (wait) and
 * {@code pgloom.connections.usage} (hold); counter {@code pgloom.connections.timeout}. Tagged {@code pool=<name>}. Copy it into your app.
 *
 * <pre>{@code
 * PgPoolMetrics metrics = new PgPoolMetrics("main");
 * PgPool pool = PgPool.create(options.toBuilder().listener(metrics).build());
 * metrics.bindTo(pool, registry);
 * }</pre>
 *
 * It is the pool's {@link PoolListener} (for the timers and counters) and binds the gauges once
 * the pool exists. Thread-safe.
 */
public final class PgPoolMetrics implements PoolListener {

    private final String poolName;
    private volatile Timer acquire;
    private volatile Timer usage;
    private volatile Counter timeouts;

    public PgPoolMetrics(String poolName) {
        this.poolName = poolName;
    }

    /** Registers every meter for {@code pool} in {@code registry}. */
    public void bindTo(PgPool pool, MeterRegistry registry) {
        acquire = Timer.builder("pgloom.connections.acquire").tag("pool", poolName)
                .description("Time to borrow a connection").register(registry);
        usage = Timer.builder("pgloom.connections.usage").tag("pool", poolName)
                .description("Time a connection was borrowed").register(registry);
        timeouts = Counter.builder("pgloom.connections.timeout").tag("pool", poolName)
                .description("Acquires that timed out").register(registry);
        gauge(registry, "pgloom.connections", pool, p -> p.stats().size(), "Open connections");
        gauge(registry, "pgloom.connections.active", pool, p -> p.stats().inUse(), "Borrowed connections");
        gauge(registry, "pgloom.connections.idle", pool, p -> p.stats().idle(), "Idle connections");
        gauge(registry, "pgloom.connections.pending", pool, p -> p.stats().waiting(), "Threads waiting for a connection");
        gauge(registry, "pgloom.connections.max", pool, p -> p.options().maxSize(), "Maximum connections");
        gauge(registry, "pgloom.connections.min", pool, p -> p.options().minSize(), "Minimum connections");
    }

    /** {@link MeterBinder} for one pool, when the listener is not needed (gauges only). */
    public static MeterBinder gaugesOf(PgPool pool, String poolName) {
        return registry -> {
            PgPoolMetrics m = new PgPoolMetrics(poolName);
            m.bindTo(pool, registry);
        };
    }

    private void gauge(MeterRegistry registry, String name, PgPool pool, ToDoubleFunction<PgPool> value, String description) {
        Gauge.builder(name, pool, value).tag("pool", poolName).description(description).register(registry);
    }

    @Override
    public void acquired(long waitNanos) {
        Timer t = acquire;
        if (t != null) {
            t.record(waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void acquireTimedOut(Duration timeout) {
        Counter c = timeouts;
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void released(long heldNanos) {
        Timer t = usage;
        if (t != null) {
            t.record(heldNanos, TimeUnit.NANOSECONDS);
        }
    }
}
