package io.pgloom.pool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's background virtual thread: every period (or sooner, when woken) it closes idle
 * connections that expired or idled too long, reports suspected leaks, and opens connections up
 * to {@code minSize}. The work itself is the pool's; this class only decides when it runs and
 * stops it with the pool.
 *
 * <p>A virtual thread, not a scheduler: each round blocks on sockets (opening and closing
 * connections), which a virtual thread does cheaply and without a thread pool of its own.
 */
final class Housekeeper implements Runnable {

    private static final Duration LONGEST_PERIOD = Duration.ofSeconds(1);
    private static final Duration SHORTEST_PERIOD = Duration.ofMillis(10);

    private final SemaphorePool pool;
    private final long periodNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean woken;
    private boolean stopped;
    private boolean firstRound = true;
    private volatile Thread thread;

    Housekeeper(SemaphorePool pool, PoolOptions options) {
        this.pool = pool;
        this.periodNanos = period(options).toNanos();
    }

    /**
     * Often enough that no deadline is missed by much: a fraction of the shortest of idle
     * timeout, max lifetime and leak threshold, between 10 ms and 1 s.
     */
    static Duration period(PoolOptions options) {
        Duration p = LONGEST_PERIOD;
        p = shorter(p, options.idleTimeout().dividedBy(2));
        p = shorter(p, options.maxLifetime().minus(options.maxLifetimeJitter()).dividedBy(4));
        p = shorter(p, options.leakDetectionThreshold().dividedBy(2));
        return p.compareTo(SHORTEST_PERIOD) < 0 ? SHORTEST_PERIOD : p;
    }

    private static Duration shorter(Duration current, Duration candidate) {
        return candidate.isZero() || candidate.compareTo(current) >= 0 ? current : candidate;
    }

    void start() {
        thread = Thread.ofVirtual().name("pgloom-pool-housekeeper").start(this);
    }

    @Override
    public void run() {
        while (awaitNextRound()) {
            try {
                pool.housekeep();
            } catch (RuntimeException e) {
                SemaphorePool.LOG.log(System.Logger.Level.WARNING, "pool housekeeping failed; trying again later", e);
            }
        }
    }

    /** Runs the next round soon, e.g. after a connection was discarded and min size may need refilling. */
    void wakeUp() {
        lock.lock();
        try {
            woken = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the thread and waits up to {@code timeout} for a round in progress to finish. */
    void stop(Duration timeout) {
        lock.lock();
        try {
            stopped = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(timeout.isZero() ? Duration.ofMillis(1) : timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits a period, or less when woken (the first round runs at once); false once stopped. */
    private boolean awaitNextRound() {
        lock.lock();
        try {
            if (firstRound) {
                firstRound = false;
            } else {
                long remaining = periodNanos;
                while (!woken && !stopped && remaining > 0) {
                    remaining = wake.awaitNanos(remaining);
                }
            }
            woken = false;
            return !stopped;
        } catch (InterruptedException e) {
            // Nobody interrupts this thread but a JVM shutting down: stop.
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** For tests and logs. */
    @Override
    public String toString() {
        return "Housekeeper{period=" + TimeUnit.NANOSECONDS.toMillis(periodNanos) + " ms, stopped=" + stopped + "}";
    }
}
