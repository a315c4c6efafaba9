package io.pgloom.pool;

import java.time.Duration;

/**
 * A snapshot of a pool's state and running totals, from {@link PgPool#stats()}.
 *
 * <pre>{@code
 * PoolStats s = pool.stats();
 * log.info(s.inUse() + " of " + s.maxSize() + " in use, " + s.waiting() + " waiting, average wait "
 *         + s.averageAcquireWait().toMillis() + " ms");
 * }</pre>
 *
 * <p>The fields are read one after another without stopping the pool, so under load they need not
 * add up exactly (size may differ from idle + inUse by connections being opened or checked). Once
 * the pool is quiet they do. Immutable and thread-safe.
 *
 * @param maxSize the pool's {@link PoolOptions#maxSize()}
 * @param size connections open (idle, borrowed, or being opened or checked)
 * @param idle connections waiting in the pool to be borrowed
 * @param inUse connections borrowed and not yet given back
 * @param waiting threads waiting in {@code acquire} for a turn (the fair semaphore's queue)
 * @param availablePermits turns free right now: {@code maxSize} minus those held by borrowers,
 *        by acquires under way and by the housekeeper while it opens a connection for
 *        {@code minSize}; back at {@code maxSize} once all of those are done, whatever failed
 * @param acquires successful acquires since the pool was created
 * @param acquireTimeouts acquires that gave up with a {@link io.pgloom.PgTimeoutException}
 * @param connectionsCreated connections opened
 * @param connectionsClosed connections closed (expired, idle, broken, failed reset, pool closed)
 * @param totalAcquireWaitNanos the time successful acquires took, summed
 * @param maxAcquireWaitNanos the longest time one successful acquire took
 */
public record PoolStats(
        int maxSize,
        int size,
        int idle,
        int inUse,
        int waiting,
        int availablePermits,
        long acquires,
        long acquireTimeouts,
        long connectionsCreated,
        long connectionsClosed,
        long totalAcquireWaitNanos,
        long maxAcquireWaitNanos) {

    /** The mean time a successful acquire took; zero before the first. */
    public Duration averageAcquireWait() {
        return acquires == 0 ? Duration.ZERO : Duration.ofNanos(totalAcquireWaitNanos / acquires);
    }

    /** The longest time one successful acquire took. */
    public Duration maxAcquireWait() {
        return Duration.ofNanos(maxAcquireWaitNanos);
    }
}
