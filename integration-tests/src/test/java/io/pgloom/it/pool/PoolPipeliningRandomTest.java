package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryCanceledException;
import io.pgloom.Row;
import io.pgloom.UniqueViolationException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random mix through the pool's pipelined query methods: 200 virtual threads, 10,000
 * requests of small and large selects, inserts, failing statements, near-zero timeouts and new
 * statements that need a Parse, on 4 shared connections. Every result is checked against what
 * the same request returns when run alone (which the request's arguments determine), every error
 * against the error that request must give; the inserts that reported success are exactly the
 * rows in the table at the end. Some callers' whole request lists are also replayed alone on a
 * connection of their own and must give the same results.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolPipeliningRandomTest {

    private static final long SEED = Long.getLong("pgloom.test.seed", 20261204L);
    private static final int CALLERS = 200;
    private static final int REQUESTS_PER_CALLER = 50;

    /** One request and the outcome it must have when it runs alone. */
    private record Request(int kind, int caller, int seq, int a, int b) {
        static final int SMALL = 0, LARGE = 1, INSERT = 2, FAIL_DIV = 3, FAIL_DUP = 4, TIMEOUT = 5, NEW_SQL = 6;

        /** Runs it; returns a printable result that must equal {@link #expected()}. */
        String run(io.pgloom.Queries q, PgPool pool) {
            return switch (kind) {
                case SMALL -> {
                    Row r = q.fetchRow("SELECT $1::int * 3 AS x, $2::text AS s", a, "c" + caller);
                    yield r.get("x", Integer.class) + "/" + r.get("s", String.class);
                }
                case LARGE -> {
                    List<Row> rows = q.fetch("SELECT g, repeat(chr(65 + g % 26), $2::int) FROM generate_series(1, $1::int) g", a, b);
                    long sum = 0;
                    StringBuilder tail = new StringBuilder();
                    for (Row r : rows) {
                        sum += r.get(0, Integer.class);
                        tail.setLength(0);
                        tail.append(r.get(1, String.class));
                    }
                    yield rows.size() + ":" + sum + ":" + tail.length() + tail.charAt(0);
                }
                case INSERT -> q.execute("INSERT INTO pipe_rnd(caller, seq, v) VALUES ($1, $2, $3)", caller, seq, a);
                case FAIL_DIV -> q.fetchVal(Integer.class, "SELECT $1::int / ($1::int - $1::int)", a).toString();
                case FAIL_DUP -> q.execute("INSERT INTO pipe_rnd(caller, seq, v) VALUES ($1, -1, 0)", caller);
                case TIMEOUT -> String.valueOf(pool.withTimeout(Duration.ofNanos(1000L * (1 + b))).fetchVal(Integer.class,
                        "SELECT $1::int + 1", a));
                case NEW_SQL -> q.fetchVal(Integer.class, "SELECT $1::int - " + b + " /* " + caller + "." + seq + " */", a).toString();
                default -> throw new AssertionError(kind);
            };
        }

        /** The result when run alone; null when it must fail. */
        String expected() {
            return switch (kind) {
                case SMALL -> (a * 3) + "/c" + caller;
                case LARGE -> {
                    long sum = (long) a * (a + 1) / 2;
                    yield a + ":" + sum + ":" + b + (char) (65 + a % 26);
                }
                case INSERT -> "INSERT 0 1";
                case TIMEOUT -> String.valueOf(a + 1);
                case NEW_SQL -> String.valueOf(a - b);
                default -> null;
            };
        }

        /** True when {@code e} is the error this request may give. */
        boolean expects(PgException e) {
            return switch (kind) {
                case FAIL_DIV -> "22012".equals(e.sqlState());
                case FAIL_DUP -> e instanceof UniqueViolationException;
                case TIMEOUT -> e instanceof PgTimeoutException || e instanceof QueryCanceledException;
                default -> false;
            };
        }
    }

    private static List<Request> requestsOf(int caller, Random random) {
        List<Request> list = new ArrayList<>(REQUESTS_PER_CALLER);
        for (int seq = 0; seq < REQUESTS_PER_CALLER; seq++) {
            int roll = random.nextInt(100);
            int kind = roll < 40 ? Request.SMALL : roll < 50 ? Request.LARGE : roll < 65 ? Request.INSERT
                    : roll < 72 ? Request.FAIL_DIV : roll < 77 ? Request.FAIL_DUP : roll < 87 ? Request.TIMEOUT
                    : Request.NEW_SQL;
            int a = kind == Request.LARGE ? 50 + random.nextInt(950) : random.nextInt(1_000_000);
            int b = kind == Request.LARGE ? 1 + random.nextInt(200) : random.nextInt(300);
            list.add(new Request(kind, caller, seq, a, b));
        }
        return list;
    }

    @Test
    void twoHundredCallersGetExactlyWhatTheyWouldGetAlone() throws Exception {
        String app = Pools.appName("pipe-random");
        try (PgConnection setup = TestDb.connect()) {
            setup.execute("DROP TABLE IF EXISTS pipe_rnd");
            setup.execute("CREATE TABLE pipe_rnd(caller int, seq int, v int, PRIMARY KEY (caller, seq))");
            for (int c = 0; c < CALLERS; c++) {
                setup.execute("INSERT INTO pipe_rnd VALUES ($1, -1, 0)", c); // what FAIL_DUP collides with
            }
        }
        Random seeds = new Random(SEED);
        List<List<Request>> plans = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            plans.add(requestsOf(c, new Random(seeds.nextLong())));
        }
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> inserted = new ConcurrentLinkedQueue<>();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger timeoutsAnswered = new AtomicInteger();
        AtomicInteger failedAsExpected = new AtomicInteger();
        long start = System.nanoTime();
        try (PgPool pool = PgPool.create(Pools.options(app).maxSize(4).build());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (List<Request> plan : plans) {
                done.add(threads.submit(() -> {
                    for (Request r : plan) {
                        String expected = r.expected();
                        try {
                            String got = r.run(pool, pool);
                            if (expected == null) {
                                wrong.add(r + ": should have failed but gave " + got);
                            } else if (!expected.equals(got)) {
                                wrong.add(r + ": expected " + expected + " but got " + got);
                            } else if (r.kind() == Request.INSERT) {
                                inserted.add(r.caller() + "." + r.seq());
                            } else if (r.kind() == Request.TIMEOUT) {
                                timeoutsAnswered.incrementAndGet();
                            }
                        } catch (PgException e) {
                            if (!r.expects(e)) {
                                wrong.add(r + ": got an error that is not its own: " + e);
                            } else if (r.kind() == Request.TIMEOUT) {
                                timedOut.incrementAndGet();
                            } else {
                                failedAsExpected.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
            assertThat(wrong).as("wrong results or misattributed errors").isEmpty();
            Pools.awaitAllPermitsFree(pool);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("pipelined random mix: %d requests in %d ms; %d timed out, %d answered in time despite a"
                + " near-zero timeout, %d failed as they must%n", CALLERS * REQUESTS_PER_CALLER, millis, timedOut.get(),
                timeoutsAnswered.get(), failedAsExpected.get());
        assertThat(failedAsExpected.get()).isPositive();
        assertThat(timedOut.get()).as("near-zero timeouts that fired").isPositive();

        try (PgConnection check = TestDb.connect()) {
            Set<String> rows = new HashSet<>();
            for (Row r : check.fetch("SELECT caller, seq FROM pipe_rnd WHERE seq >= 0")) {
                rows.add(r.get(0, Integer.class) + "." + r.get(1, Integer.class));
            }
            assertThat(rows).as("rows in the table = inserts that reported success").isEqualTo(new HashSet<>(inserted));
            // Replay a few callers alone, on a connection of their own: the same results, request by request.
            for (int c = 0; c < CALLERS; c += 40) {
                for (Request r : plans.get(c)) {
                    if (r.kind() == Request.INSERT || r.kind() == Request.TIMEOUT) {
                        continue;
                    }
                    String alone;
                    try {
                        alone = r.run(check, null);
                    } catch (PgException e) {
                        alone = r.expects(e) ? null : "error " + e.sqlState();
                    }
                    assertThat(alone).as("%s alone", r).isEqualTo(r.expected());
                }
            }
            check.execute("DROP TABLE pipe_rnd");
        }
    }
}
