package io.pgloom.it.faults;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A server restarted under pool load ({@code pg_ctl restart -m fast} and {@code -m immediate}, the
 * latter with crash recovery), on a server of its own, with exclusive connections and with the
 * default pipelined lanes: the first success comes within 1 s of the server being back (the
 * restart's own time is what pg_ctl took), and nothing fails after it.
 */
@Tag("long")
class RestartTest {

    /** The bound the issue names, past the end of the restart. */
    private static final long BOUND_MILLIS = 1_000;
    /** Slack for a loaded 2-core box: the pool's reconnect and a scheduler hiccup or two. */
    private static final long MARGIN_MILLIS = 1_500;

    /** One pool call: when, and which postmaster answered it (its start time), or how it failed. */
    record Call(long startNanos, long endNanos, Object postmasterStart, Throwable error) {
    }

    @ParameterizedTest(name = "-m {0}, {1}")
    @CsvSource({"fast, exclusive", "fast, pipelined", "immediate, exclusive", "immediate, pipelined"})
    void aRestartUnderLoad(String mode, String lanes) throws Exception {
        PoolOptions.Builder options = PoolOptions.builder()
                .minSize(4).maxSize(4).acquireTimeout(Duration.ofSeconds(30));
        if (lanes.equals("exclusive")) {
            options.pipelining(1);
        }
        try (PgServer server = PgServer.builder().build().start();
             PgPool pool = PgPool.create(options.connectOptions(ConnectOptions.fromUri(server.uri())).build())) {
            ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
            // The load runs on for 4 s past the restart's end, and never past a minute in all.
            AtomicLong stopAt = new AtomicLong(System.nanoTime() + Duration.ofSeconds(60).toNanos());
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() - stopAt.get() < 0) {
                        long start = System.nanoTime();
                        Object[] answeredBy = new Object[1];
                        Throwable error = catchThrowable(
                                () -> answeredBy[0] = pool.fetchVal("SELECT pg_postmaster_start_time()"));
                        calls.add(new Call(start, System.nanoTime(), answeredBy[0], error));
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
            // Under load before the restart: the pool's calls succeed (polled, not slept for).
            long warm = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (calls.stream().filter(c -> c.error() == null).count() < 200) {
                assertThat(System.nanoTime()).as("200 calls to succeed before the restart").isLessThan(warm);
                Thread.sleep(10);
            }
            Object before;
            try (PgConnection c = pool.acquire()) {
                before = c.fetchVal("SELECT pg_postmaster_start_time()");
            }
            long restartStart = System.nanoTime();
            if (mode.equals("immediate")) {
                server.restartImmediately();
            } else {
                server.restart();
            }
            long restartEnd = System.nanoTime();
            stopAt.set(restartEnd + Duration.ofSeconds(4).toNanos());
            for (Thread t : workers) {
                t.join(Duration.ofSeconds(60));
                assertThat(t.isAlive()).isFalse();
            }
            long downAt = Long.MAX_VALUE; // the first failure the restart caused
            for (Call c : calls) {
                if (c.error() != null && c.endNanos() > restartStart) {
                    downAt = Math.min(downAt, c.endNanos());
                }
            }
            assertThat(downAt).as("the restart made some call fail").isLessThan(Long.MAX_VALUE);
            // The first call the restarted server answered: a connection the shutdown had not cut yet
            // can still succeed on the old server, and calls after that may rightly fail.
            long firstSuccess = Long.MAX_VALUE;
            for (Call c : calls) {
                if (c.error() == null && !before.equals(c.postmasterStart())) {
                    firstSuccess = Math.min(firstSuccess, c.endNanos());
                }
            }
            assertThat(firstSuccess).as("a call succeeded after the restart").isLessThan(Long.MAX_VALUE);
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
            long restartMillis = (restartEnd - restartStart) / 1_000_000;
            long firstAfterBack = (firstSuccess - restartEnd) / 1_000_000;
            long firstAfterStart = (firstSuccess - restartStart) / 1_000_000;
            System.out.printf("restart -m %s under load (%s): %d calls, restart took %d ms, first success %d ms"
                            + " after it began (%d ms after the server was back), %d errors after it%n",
                    mode, lanes, calls.size(), restartMillis, firstAfterStart, firstAfterBack, errorsAfter);
            assertThat(firstAfterStart).as("first success within restart time (%d ms) + 1 s", restartMillis)
                    .isLessThan(restartMillis + BOUND_MILLIS + MARGIN_MILLIS);
            assertThat(errorsAfter).as("errors after the first success: " + anError).isZero();
            try (PgConnection c = pool.acquire()) {
                assertThat(c.fetchVal("SELECT 1")).isEqualTo(1);
            }
        }
    }
}
