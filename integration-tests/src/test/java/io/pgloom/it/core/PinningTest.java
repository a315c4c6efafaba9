package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.it.TestDb;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 virtual threads run queries on connections borrowed from a small set: a JFR recording of
 * {@code jdk.VirtualThreadPinned} must stay empty, since nothing that blocks runs inside
 * {@code synchronized}.
 *
 * <p>On JDK 24 and later (which CI runs) {@code synchronized} no longer pins a virtual thread, so
 * this recording cannot catch one there: the guard against {@code synchronized} in core and pool
 * is the source check in core's {@code NoSynchronizedTest}, which holds on every JDK.
 */
class PinningTest {

    @Test
    void noVirtualThreadIsPinned(@TempDir Path dir) throws Exception {
        int connections = 20;
        BlockingQueue<PgConnection> free = new ArrayBlockingQueue<>(connections);
        for (int i = 0; i < connections; i++) {
            free.add(TestDb.connect());
        }
        // Warm up first: the JDK pins a virtual thread once, while another initializes its
        // socket poller (a class initializer); that is the JDK's, not ours, and happens once.
        Thread.ofVirtual().start(() -> free.forEach(c -> c.fetchVal("SELECT 1"))).join();
        AtomicInteger done = new AtomicInteger();
        Path file = dir.resolve("pinning.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            // pgloom's own events are left out: committing a JFR event may pin inside the JDK
            // (a contended monitor in its event writer), which is not what this looks for
            recording.disable("io.pgloom.Query");
            recording.disable("io.pgloom.Cancel");
            recording.start();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 1_000; t++) {
                    int n = t;
                    futures.add(executor.submit(() -> {
                        PgConnection c = free.take();
                        try {
                            for (int q = 0; q < 3; q++) {
                                assertThat(c.fetchVal("SELECT $1::int + $2::int", n, q)).isEqualTo(n + q);
                            }
                            // A TLS-free blocking wait on the server, so threads park mid-query.
                            c.execute("SELECT pg_sleep(0.001)");
                            done.incrementAndGet();
                        } finally {
                            free.add(c);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            recording.stop();
            recording.dump(file);
        } finally {
            free.forEach(PgConnection::close);
        }
        assertThat(done.get()).isEqualTo(1_000);
        List<RecordedEvent> pinned = io.pgloom.it.PinnedEvents.inPgloom(file);
        assertThat(pinned).as("pinned virtual threads: %s", pinned).isEmpty();
    }
}
