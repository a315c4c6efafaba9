package io.pgloom.examples.helidon;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.pgloom.PgException;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolStats;

import java.time.Duration;

/**
 * Readiness: the database answers a {@link PgPool#ping} within the timeout. The ping uses an idle
 * connection or one of its own, so it never waits in line behind the app's requests.
 */
final class PoolHealthCheck implements HealthCheck {

    private final PgPool pool;
    private final Duration timeout;

    PoolHealthCheck(PgPool pool, Duration timeout) {
        this.pool = pool;
        this.timeout = timeout;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public HealthCheckResponse call() {
        PoolStats stats = pool.stats();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder()
                .detail("inUse", stats.inUse()).detail("idle", stats.idle()).detail("waiting", stats.waiting());
        try {
            Duration rtt = pool.ping(timeout);
            return response.status(true).detail("pingMicros", rtt.toNanos() / 1000).build();
        } catch (PgException e) {
            return response.status(false).detail("error", e.getMessage()).build();
        }
    }
}
