package io.pgloom.internal.session;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that fires every timeout of the process: connect deadlines and command
 * timeouts. A timeout never interrupts the waiting thread (an interrupt would close its channel);
 * it sends a CancelRequest, or, when even that gets no answer, closes the channel.
 */
public final class Timers {

    private static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private Timers() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pgloom-timer");
            t.setDaemon(true);
            return t;
        });
        // Most timeouts are cancelled because the query finished in time: don't keep them queued.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Runs {@code task} after {@code delay} on the timer thread; the task must not block for long. */
    public static ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return EXECUTOR.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a fresh virtual thread: for work that blocks, such as a cancel request. */
    public static void runBlocking(String name, Runnable task) {
        Thread.ofVirtual().name(name).start(task);
    }
}
