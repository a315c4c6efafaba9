package io.pgloom.pool;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The pool's JDK Flight Recorder event, {@code io.pgloom.PoolAcquire}: one per acquire, with how
 * long it waited for a turn and a connection. The pool reads module {@code jdk.jfr} only when the
 * runtime has it ({@code requires static}); without it nothing here is loaded. An acquire that
 * waited 1 ms or more is recorded unless the recording sets another threshold.
 */
final class PoolJfr {

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private PoolJfr() {
    }

    /** Starts timing an acquire; returns null when no recording wants the event (or no JFR). */
    static Object started() {
        if (!PRESENT) {
            return null;
        }
        AcquireEvent e = new AcquireEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends the acquire that {@link #started} began; commits it when it passes the threshold. */
    static void ended(Object started, long waitNanos, boolean timedOut, PgPool pool) {
        if (started == null) {
            return;
        }
        AcquireEvent e = (AcquireEvent) started;
        e.end();
        if (e.shouldCommit()) {
            PoolStats stats = pool.stats();
            e.waitNanos = waitNanos;
            e.timedOut = timedOut;
            e.inUse = stats.inUse();
            e.waiting = stats.waiting();
            e.commit();
        }
    }

    @Name("io.pgloom.PoolAcquire")
    @Label("pgloom Pool Acquire")
    @Category({"pgloom"})
    @Description("A thread borrowed a connection from a pgloom pool, or gave up waiting")
    @StackTrace(true)
    @Threshold("1 ms")
    static final class AcquireEvent extends Event {
        @Label("Wait")
        @Timespan(Timespan.NANOSECONDS)
        long waitNanos;
        @Label("Timed Out")
        boolean timedOut;
        @Label("In Use")
        @Description("Connections borrowed right after this acquire")
        int inUse;
        @Label("Waiting")
        @Description("Threads still waiting for a turn")
        int waiting;
    }
}
