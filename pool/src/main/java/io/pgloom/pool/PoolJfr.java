package io.pgloom.pool;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The pool's JDK Flight Recorder event, {@code io.pgloom.PoolAcquire}: one per acquire, with how
 * long it waited for a turn and a connection. The pool reads module {@code jdk.jfr} only when the
 * runtime has it ({@code requires static}); without it nothing here is loaded.
 */
final class PoolJfr {

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private PoolJfr() {
    }

    /** Records an acquire of {@code pool} that has just ended after {@code waitNanos}. */
    static void acquired(long waitNanos, boolean timedOut, PgPool pool) {
        if (!PRESENT) {
            return;
        }
        AcquireEvent e = new AcquireEvent();
        if (e.isEnabled()) {
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
