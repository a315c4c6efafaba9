package io.pgloom.it.faults;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import io.pgloom.ConnectOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A server restarted (fast shutdown) under pool load, on a server of its own: the first success
 * comes within 1 s of the server being back, and nothing fails after it.
 */
@Tag("long")
class RestartTest {

    record Call(long startNanos, long endNanos, Throwable error) {
    }

    @Test
    void aFastRestartUnderLoad() throws Exception {
        try (PgServer server = PgServer.builder().build().start();
             PgPool pool = PgPool.create(PoolOptions.builder().connectOptions(ConnectOptions.fromUri(server.uri()))
                     .minSize(4).maxSize(4).acquireTimeout(Duration.ofSeconds(30)).pipelining(1).build())) {
            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            long[] restart = new long[2];
            long runFor = Duration.ofSeconds(8).toNanos();
            long begin = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() - begin < runFor) {
                        long start = System.nanoTime();
                        Throwable error = catchThrowable(() -> pool.fetchVal("SELECT 1"));
                        calls.add(new Call(start, System.nanoTime(), error));
                        if (error != null) {
                            try {
                                Thread.sleep(5); // back off a little while the server is away
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(1_000);
            restart[0] = System.nanoTime();
            server.restart();
            restart[1] = System.nanoTime();
            for (Thread t : workers) {
                t.join(Duration.ofSeconds(60));
                assertThat(t.isAlive()).isFalse();
            }
            long downAt = Long.MAX_VALUE; // the first failure the restart caused
            for (Call c : calls) {
                if (c.error() != null && c.endNanos() > restart[0]) {
                    downAt = Math.min(downAt, c.endNanos());
                }
            }
            long firstSuccess = Long.MAX_VALUE;
            for (Call c : calls) {
                if (c.error() == null && c.startNanos() > downAt) {
                    firstSuccess = Math.min(firstSuccess, c.endNanos());
                }
            }
            int errorsAfter = 0;
            Throwable anError = null;
            for (Call c : calls) {
                if (c.error() != null) {
                    assertThat(c.error()).isInstanceOf(PgException.class);
                    if (c.startNanos() > firstSuccess) {
                        errorsAfter++;
                        anError = c.error();
                    }
                }
            }
            long restartMillis = (restart[1] - restart[0]) / 1_000_000;
            long firstAfterBack = (firstSuccess - restart[1]) / 1_000_000;
            System.out.printf("restart -m fast under load: %d calls, restart took %d ms, first success %d ms after"
                    + " the server was back, %d errors after it%n", calls.size(), restartMillis, firstAfterBack, errorsAfter);
            assertThat(firstAfterBack).as("first success within restart + 1 s").isLessThan(1_000 + 1_500);
            assertThat(errorsAfter).as("errors after the first success: " + anError).isZero();
            try (PgConnection c = pool.acquire()) {
                assertThat(c.fetchVal("SELECT 1")).isEqualTo(1);
            }
        }
    }
}
