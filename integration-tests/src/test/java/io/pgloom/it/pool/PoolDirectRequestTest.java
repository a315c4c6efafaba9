package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool's query methods on a pool with room to spare run on the caller's thread, and pipeline
 * onto shared connections once it is busy; a request sent to a connection that runs one directly
 * waits for it, or times out unsent; a connection that still carries a discarded pipelined reply
 * is never handed out before that reply is read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolDirectRequestTest {

    /** The pipelined session's reader thread of the backend {@code pid}, if it was ever started. */
    private static boolean pipelined(int pid) {
        String name = "pgloom-reader-" + pid;
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
    }

    @Test
    void aRequestOnAPoolWithRoomToSpareRunsOnTheCallersThread() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("direct-alone")).maxSize(4).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                pids.add(pool.fetchVal(Integer.class, "SELECT pg_backend_pid()"));
            }
            // Two callers at a time on a pool of four: each still finds room. (Texts the pool has
            // not timed yet: a quick statement's second request would join the first's connection.)
            List<Future<Integer>> pairs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String first = "SELECT pg_backend_pid() + 0 * " + i;
                String second = "SELECT pg_backend_pid() - 0 * " + i;
                pairs.add(threads.submit(() -> pool.fetchVal(Integer.class, first)));
                pairs.add(threads.submit(() -> pool.fetchVal(Integer.class, second)));
                pids.add(pairs.get(pairs.size() - 2).get());
                pids.add(pairs.getLast().get());
            }
            // No writer and reader threads were started for any of them: nothing was pipelined.
            assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(pipelined(pid)).as("backend %d pipelined", pid).isFalse());
        }
    }

    @Test
    void aBusyPoolStillPipelinesOntoSharedConnections() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("direct-busy")).maxSize(2).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(0.05)")));
            }
            Set<Integer> pids = new HashSet<>();
            for (Future<Integer> f : calls) {
                pids.add(f.get());
            }
            assertThat(pids).hasSizeLessThanOrEqualTo(2);
            assertThat(pids).anySatisfy(pid -> assertThat(pipelined(pid)).as("backend %d pipelined", pid).isTrue());
        }
    }

    @Test
    void aConnectionWithADiscardedReplyInFlightIsNotLentUntilItIsRead() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("direct-abandoned")).maxSize(1).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // One connection: the first sleep runs, the second queues behind it on the same stream
            // and is given up by its caller after 100 ms, so its reply comes after the first's.
            Future<Integer> first = threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(0.5)"));
            Thread.sleep(50);
            Future<?> second = threads.submit(() -> pool.withTimeout(Duration.ofMillis(100))
                    .fetchVal("SELECT pg_backend_pid() FROM pg_sleep(0.5)"));
            assertThatThrownBy(second::get).hasCauseInstanceOf(PgException.class)
                    .cause().hasMessageContaining("it was already sent");
            int pid = first.get();
            // The first reply is in; the second is still running on the server.
            try (PgConnection own = pool.acquire()) {
                assertThat(own.fetchVal(Integer.class, "SELECT pg_backend_pid()")).isEqualTo(pid);
                assertThat(own.fetchVal(Integer.class, "SELECT 41 + 1")).isEqualTo(42);
            }
            assertThat(pool.fetchVal(Integer.class, "SELECT 7")).isEqualTo(7);
        }
    }

    @Test
    void aRequestSentToAConnectionRunningOneDirectlyWaitsForItOrTimesOutUnsent() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("direct-follow")).maxSize(2).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.execute("CREATE TABLE IF NOT EXISTS direct_follow(n int)");
            pool.execute("TRUNCATE direct_follow");
            // The first finds the pool idle, with a permit to spare: it runs directly. The second
            // takes the last permit and is pipelined. Both take a second.
            Future<Integer> direct = threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(1)"));
            Thread.sleep(100);
            Future<Integer> pipelined = threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(1)"));
            Thread.sleep(100);
            // Each connection has one in flight, so this goes to the first, and waits there.
            long start = System.nanoTime();
            Future<?> late = threads.submit(() -> pool.withTimeout(Duration.ofMillis(200)).execute("INSERT INTO direct_follow VALUES (1)"));
            assertThatThrownBy(late::get).cause().isInstanceOf(PgTimeoutException.class)
                    .hasMessageContaining("before it was sent");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(900);
            assertThat(direct.get()).isNotEqualTo(pipelined.get());
            // Sent to the first connection after the sleep ended: queued behind nothing, it runs.
            Future<Long> after = threads.submit(() -> pool.fetchVal(Long.class, "SELECT count(*) FROM direct_follow"));
            assertThat(after.get()).as("the timed-out insert never ran").isZero();
            pool.execute("DROP TABLE direct_follow");
        }
    }

    @Test
    void aRequestQueuedBehindADirectOneThatBreaksItsConnectionRunsElsewhere() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("direct-broken")).maxSize(2).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // The first runs directly and ends its own backend after half a second; the second
            // takes the other permit. The third then queues behind the first, unsent.
            Future<Boolean> direct = threads.submit(() -> pool.fetchVal(Boolean.class,
                    "SELECT pg_terminate_backend(pg_backend_pid()) FROM pg_sleep(0.5)"));
            Thread.sleep(100);
            Future<Integer> pipelined = threads.submit(() -> pool.fetchVal(Integer.class, "SELECT pg_backend_pid() FROM pg_sleep(1)"));
            Thread.sleep(100);
            Future<Integer> follower = threads.submit(() -> pool.fetchVal(Integer.class, "SELECT 41 + 1"));
            assertThatThrownBy(direct::get).cause().isInstanceOf(io.pgloom.ConnectionException.class);
            assertThat(follower.get()).as("never sent on the broken connection, so it ran on another").isEqualTo(42);
            assertThat(pipelined.get()).isPositive();
            assertThat(pool.fetchVal(Integer.class, "SELECT 7")).isEqualTo(7);
        }
    }
}
