package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection held past the leak threshold is reported once, with where it was acquired. */
class PoolLeakDetectionTest {

    @Test
    void aConnectionHeldTooLongIsReportedWithItsAcquireSite() throws Exception {
        List<Throwable> sites = new CopyOnWriteArrayList<>();
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger julLogger = Logger.getLogger("io.pgloom.pool");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.WARNING) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julLogger.addHandler(handler);
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("leak")).maxSize(2)
                .leakDetectionThreshold(Duration.ofMillis(100))
                .listener(new PoolListener() {
                    @Override
                    public void leakSuspected(Duration held, Throwable acquiredAt) {
                        sites.add(acquiredAt);
                    }
                }).build())) {
            try (PgConnection quick = pool.acquire()) {
                quick.fetchVal("SELECT 1");
            }
            PgConnection leaked = acquireAndForget(pool);
            Pools.awaitTrue(() -> sites.stream().anyMatch(PoolLeakDetectionTest::isTheLeak), Duration.ofSeconds(10),
                    "the leak report");
            // Something NOT happening is the subject (a second report of the same leak), so a sleep:
            // several more housekeeping rounds pass, and it is still reported only once.
            Thread.sleep(300);
            leaked.close();
            List<Throwable> reports = sites.stream().filter(PoolLeakDetectionTest::isTheLeak).toList();
            assertThat(reports).hasSize(1);
            assertThat(logged).anySatisfy(r -> {
                assertThat(r.getMessage()).contains("leakDetectionThreshold");
                assertThat(r.getThrown()).isSameAs(reports.get(0));
            });
        } finally {
            julLogger.removeHandler(handler);
        }
    }

    private static boolean isTheLeak(Throwable acquiredAt) {
        return Arrays.stream(acquiredAt.getStackTrace()).anyMatch(e -> e.getMethodName().equals("acquireAndForget"));
    }

    private static PgConnection acquireAndForget(PgPool pool) {
        return pool.acquire();
    }
}
