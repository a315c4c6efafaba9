package io.pgloom.it.faults;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.FaultProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak: a pool under load through a {@link FaultProxy} for two minutes (-Dpgloom.soak.seconds
 * changes it), with a random fault every 10 s (reset, blackhole, delay, truncation, backends
 * terminated). Every failure is a PgException; at the end heap, platform threads, file
 * descriptors and permits are back to their baseline and the pool serves again.
 */
@Tag("long")
class SoakTest {

    @Test
    void twoMinutesOfRandomFaults() throws Exception {
        long seconds = Long.getLong("pgloom.soak.seconds", 120);
        String app = "soak-" + System.nanoTime();
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port());
             PgConnection admin = TestDb.admin();
             PgPool pool = PgPool.create(PoolOptions.builder()
                     .connectOptions(NetworkFaultTest.through(proxy.port()).applicationName(app)
                             .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1)).build())
                     .minSize(2).maxSize(4).acquireTimeout(Duration.ofSeconds(10)).pipelining(1).build())) {
            for (int i = 0; i < 50; i++) {
                pool.fetchVal("SELECT 1"); // warm up before the baseline
            }
            System.gc();
            long heapBefore = usedHeap();
            long fdsBefore = MalformedStormTest.openFileDescriptors();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int seed = w;
                workers.add(Thread.ofVirtual().start(() -> {
                    Random random = new Random(seed);
                    while (System.nanoTime() < end) {
                        try {
                            if (random.nextBoolean()) {
                                pool.fetchVal("SELECT $1::int + 1", random.nextInt(1000));
                            } else {
                                pool.inTransaction(c -> c.execute("SELECT pg_sleep(0.002)"));
                            }
                            ok.incrementAndGet();
                        } catch (PgException e) {
                            failed.incrementAndGet();
                        } catch (Throwable t) {
                            wrong.add(t);
                        }
                    }
                }));
            }
            Random faults = new Random(7);
            List<String> applied = new ArrayList<>();
            while (System.nanoTime() < end - Duration.ofSeconds(5).toNanos()) {
                Thread.sleep(Math.min(10_000, Math.max(0, (end - System.nanoTime()) / 1_000_000 - 5_000)));
                if (System.nanoTime() >= end - Duration.ofSeconds(5).toNanos()) {
                    break;
                }
                switch (faults.nextInt(5)) {
                    case 0 -> {
                        applied.add("reset");
                        proxy.resetAll();
                    }
                    case 1 -> {
                        applied.add("blackhole 2 s");
                        proxy.blackhole();
                        Thread.sleep(2_000);
                        proxy.pass();
                    }
                    case 2 -> {
                        applied.add("delay 100 ms for 2 s");
                        proxy.delay(Duration.ofMillis(100));
                        Thread.sleep(2_000);
                        proxy.pass();
                    }
                    case 3 -> {
                        applied.add("truncate");
                        proxy.truncateAfter(100);
                        Thread.sleep(500);
                        proxy.pass();
                    }
                    default -> {
                        applied.add("terminate backends");
                        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                                + app + "'");
                    }
                }
            }
            proxy.pass();
            for (Thread t : workers) {
                t.join(Duration.ofSeconds(30));
                assertThat(t.isAlive()).as("a worker hung").isFalse();
            }
            assertThat(wrong).as("failures other than PgException").isEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (pool.stats().availablePermits() != 4
                    || MalformedStormTest.openFileDescriptors() > fdsBefore + 8
                    || ManagementFactory.getThreadMXBean().getThreadCount() > threadsBefore + 2) {
                assertThat(System.nanoTime()).as("back to baseline: " + pool.stats() + ", fds "
                        + MalformedStormTest.openFileDescriptors() + " (before " + fdsBefore + "), threads "
                        + ManagementFactory.getThreadMXBean().getThreadCount() + " (before " + threadsBefore + ")")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(pool.fetchVal("SELECT 1")).isEqualTo(1);
            System.gc();
            long heapAfter = usedHeap();
            System.out.printf("soak %d s: faults %s; %d calls ok, %d failed with PgException; heap %d -> %d MB,"
                    + " fds %d -> %d, threads %d -> %d, permits free %d of 4%n", seconds, applied, ok.get(), failed.get(),
                    heapBefore >> 20, heapAfter >> 20, fdsBefore, MalformedStormTest.openFileDescriptors(), threadsBefore,
                    ManagementFactory.getThreadMXBean().getThreadCount(), pool.stats().availablePermits());
            assertThat(heapAfter).as("heap back near its baseline").isLessThan(heapBefore + (64L << 20));
            assertThat(ok.get()).isPositive();
        }
    }

    private static long usedHeap() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }
}
