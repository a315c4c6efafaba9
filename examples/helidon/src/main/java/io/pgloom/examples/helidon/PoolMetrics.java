package io.pgloom.examples.helidon;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolListener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A pool's metrics in Helidon's registry, named as HikariCP names its own (with {@code pgloom}
 * for {@code hikaricp}) so existing dashboards need only the prefix changed: gauges
 * {@code pgloom.connections}, {@code .active}, {@code .idle}, {@code .pending}, {@code .max},
 * {@code .min}; timers {@code pgloom.connections.acquire} (wait) and {@code .usage} (hold);
 * counter {@code pgloom.connections.timeout}. Tagged {@code pool=<name>}. It is the pool's
 * {@link PoolListener} for the timers; {@link #bind} adds the gauges once the pool exists.
 */
final class PoolMetrics implements PoolListener {

    private final MeterRegistry registry;
    private final List<Tag> tags;
    private final Timer acquire;
    private final Timer usage;
    private final Counter timeouts;

    PoolMetrics(MeterRegistry registry, String poolName) {
        this.registry = registry;
        this.tags = List.of(Tag.create("pool", poolName));
        this.acquire = registry.getOrCreate(Timer.builder("pgloom.connections.acquire").tags(tags)
                .description("Time to borrow a connection"));
        this.usage = registry.getOrCreate(Timer.builder("pgloom.connections.usage").tags(tags)
                .description("Time a connection was borrowed"));
        this.timeouts = registry.getOrCreate(Counter.builder("pgloom.connections.timeout").tags(tags)
                .description("Acquires that timed out"));
    }

    /** Registers the gauges that read {@code pool}'s statistics on each scrape. */
    void bind(PgPool pool) {
        gauge("pgloom.connections", pool, p -> p.stats().size(), "Open connections");
        gauge("pgloom.connections.active", pool, p -> p.stats().inUse(), "Borrowed connections");
        gauge("pgloom.connections.idle", pool, p -> p.stats().idle(), "Idle connections");
        gauge("pgloom.connections.pending", pool, p -> p.stats().waiting(), "Threads waiting for a connection");
        gauge("pgloom.connections.max", pool, p -> p.options().maxSize(), "Maximum connections");
        gauge("pgloom.connections.min", pool, p -> p.options().minSize(), "Minimum connections");
    }

    private void gauge(String name, PgPool pool, ToDoubleFunction<PgPool> value, String description) {
        registry.getOrCreate(Gauge.builder(name, pool, value).tags(tags).description(description));
    }

    @Override
    public void acquired(long waitNanos) {
        acquire.record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void acquireTimedOut(Duration timeout) {
        timeouts.increment();
    }

    @Override
    public void released(long heldNanos) {
        usage.record(heldNanos, TimeUnit.NANOSECONDS);
    }
}
