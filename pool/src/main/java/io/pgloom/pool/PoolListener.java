package io.pgloom.pool;

import java.time.Duration;

/**
 * Hears what a pool does, for metrics and logs. Every method does nothing by default, so an
 * implementation overrides only what it needs:
 *
 * <pre>{@code
 * PoolListener metrics = new PoolListener() {
 *     @Override public void acquired(long waitNanos) { acquireTimer.record(waitNanos, NANOSECONDS); }
 *     @Override public void acquireTimedOut(Duration timeout) { timeouts.increment(); }
 * };
 * PoolOptions.builder().listener(metrics)...
 * }</pre>
 *
 * <p>Methods are called on the thread that caused the event (an acquiring or releasing thread,
 * or the pool's housekeeping thread), from many threads at once: an implementation must be
 * thread-safe and quick, and must not block. An exception it throws is logged and ignored.
 */
public interface PoolListener {

    /** A listener that ignores everything. */
    PoolListener NONE = new PoolListener() {
    };

    /** A connection was opened (and the init hook ran on it). */
    default void connectionCreated(int serverPid) {
    }

    /** A connection was closed, for the reason given (expired, idle, broken, reset failed, ...). */
    default void connectionClosed(int serverPid, String reason) {
    }

    /** An acquire succeeded after {@code waitNanos}, including any connect and liveness check. */
    default void acquired(long waitNanos) {
    }

    /**
     * A borrowed connection came back (or was discarded) after being held for {@code heldNanos}
     * from the end of its acquire to the start of its release; its turn is free again.
     */
    default void released(long heldNanos) {
    }

    /** An acquire gave up after waiting {@code timeout}. */
    default void acquireTimedOut(Duration timeout) {
    }

    /**
     * A connection has been borrowed for {@code held}, longer than the leak detection threshold;
     * {@code acquiredAt}'s stack trace shows where it was acquired. Reported once per borrow.
     */
    default void leakSuspected(Duration held, Throwable acquiredAt) {
    }
}
