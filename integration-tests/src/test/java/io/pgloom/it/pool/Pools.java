package io.pgloom.it.pool;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.it.Await;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PoolOptions;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** What the pool tests share: options tagged with an application_name, and a view of the server's backends. */
final class Pools {

    private static final AtomicLong NEXT = new AtomicLong();

    private Pools() {
    }

    /** A unique application_name, so pg_stat_activity shows this test's connections only. */
    static String appName(String test) {
        return "pgloom-pool-" + test + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    }

    /** Options for a pool of the shared server whose connections carry {@code appName}. */
    static PoolOptions.Builder options(String appName) {
        return options(TestDb.options(), appName);
    }

    static PoolOptions.Builder options(ConnectOptions connect, String appName) {
        return PoolOptions.builder()
                .connectOptions(connect.toBuilder().applicationName(appName).connectTimeout(Duration.ofSeconds(10)).build())
                .acquireTimeout(Duration.ofSeconds(20));
    }

    /** How many backends serve connections named {@code appName}, as the server sees it. */
    static int backends(PgConnection admin, String appName) {
        return admin.fetchVal(Integer.class,
                "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1", appName);
    }

    /** Kills a backend and waits until it is gone, so the next use of its connection finds it dead. */
    static void kill(PgConnection admin, int pid) {
        Boolean killed = admin.fetchVal(Boolean.class, "SELECT pg_terminate_backend($1)", pid);
        if (!Boolean.TRUE.equals(killed)) {
            throw new AssertionError("backend " + pid + " was not there to kill");
        }
        awaitTrue(() -> admin.fetchVal(Integer.class, "SELECT count(*)::int FROM pg_stat_activity WHERE pid = $1", pid) == 0,
                Duration.ofSeconds(10), "backend " + pid + " to exit");
    }

    /**
     * Waits until every permit is free again. With minSize above zero the housekeeper holds one
     * for a moment while it opens a connection, so "all free" is something to wait for, not to
     * expect at an instant; a lost permit never comes back and fails this after the bound.
     */
    static void awaitAllPermitsFree(io.pgloom.pool.PgPool pool) {
        int max = pool.options().maxSize();
        awaitTrue(() -> pool.stats().availablePermits() == max, Duration.ofSeconds(15),
                "all " + max + " permits to be free (now " + pool.stats().availablePermits() + ")");
    }

    /** Polls until {@code condition} holds; fails after a generous {@code limit} (see {@link Await}). */
    static void awaitTrue(BooleanSupplier condition, Duration limit, String what) {
        Await.until(limit, condition, what);
    }
}
