package io.pgloom.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgloom.ConnectOptions;
import io.pgloom.Row;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * W5: 1,000 virtual threads share a pool of 16 connections, each doing W2's point select in a
 * loop for a fixed window. Counts queries per second (mean and standard deviation over the
 * window's one-second slices), the latency of each query from the caller's side including the
 * wait for a connection (p50, p99, max), and the callers that completed nothing in the window.
 *
 * <p>Not a JMH benchmark: JMH measures what its own threads do, and here the point is what a
 * thousand virtual threads see. {@link Suite} runs it in a fresh JVM per client, against the same
 * server, after the JMH part; it prints one line that starts with {@code W5RESULT}.
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.W5PoolLoad pgloom|hikari|vertx [callers] [pool] [warmupSeconds] [windowSeconds] [reset]</pre>
 */
public final class W5PoolLoad {

    private final String client;
    private final int callers;
    private final int poolSize;
    private volatile boolean stop;
    private volatile Exception firstError;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    private final boolean withReset;

    private W5PoolLoad(String client, int callers, int poolSize, boolean withReset) {
        this.withReset = withReset;
        this.client = client;
        this.callers = callers;
        this.poolSize = poolSize;
    }

    public static void main(String[] args) throws Exception {
        String client = args.length > 0 ? args[0] : "pgloom";
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int pool = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : Suite.W5_WARMUP_SECONDS;
        int window = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        boolean reset = args.length > 5 && args[5].equals("reset");
        Result r = new W5PoolLoad(client, callers, pool, reset).run(warmup, window);
        System.out.println(r.line());
        System.exit(0); // Hikari's and Vert.x's threads must not keep the JVM alive
    }

    /** One query as each client does it; returns a decoded column so that nothing is optimized away. */
    @FunctionalInterface
    interface Query {
        Object run(int key) throws Exception;
    }

    private Result run(int warmupSeconds, int windowSeconds) throws Exception {
        AutoCloseable resource;
        Thread sampler = null;
        Query query;
        switch (client) {
            case "pgloom" -> {
                // Default options but the sizes (minSize like HikariCP's minimumIdle) and the
                // acquire timeout: the pool resets what a borrower changed, and these borrows
                // change nothing. "reset" as the sixth argument resets on every release instead.
                PgPool pool = PgPool.create(PoolOptions.builder()
                        .connectOptions(ConnectOptions.fromUri(BenchDb.clientUrl()))
                        .minSize(poolSize).maxSize(poolSize).acquireTimeout(Duration.ofSeconds(60))
                        .resetEveryRelease(withReset)
                        // default pipelining unless -Dpgloom.bench.pipelining=N asks for another depth
                        .pipelining(Integer.getInteger("pgloom.bench.pipelining", PoolOptions.DEFAULT_PIPELINING))
                        .build());
                resource = pool;
                sampler = startSampler(pool);
                query = key -> {
                    Row r = pool.fetchRow(BenchDb.POINT_SELECT, key);
                    Object last = null;
                    for (int i = 0; i < 7; i++) {
                        last = r.get(i);
                    }
                    return last;
                };
            }
            case "hikari" -> {
                HikariConfig config = new HikariConfig();
                BenchDb.Uri u = BenchDb.Uri.current();
                config.setJdbcUrl(BenchDb.jdbcUrl());
                config.setUsername(u.user());
                config.setPassword(u.password());
                config.addDataSourceProperty("prepareThreshold", "1");
                config.addDataSourceProperty("sslmode", BenchDb.sslmode());
                config.setMaximumPoolSize(poolSize);
                config.setMinimumIdle(poolSize);
                config.setConnectionTimeout(60_000);
                HikariDataSource ds = new HikariDataSource(config);
                resource = ds;
                String sql = BenchDb.POINT_SELECT.replace("$1", "?");
                query = key -> {
                    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setInt(1, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            rs.getInt(1);
                            rs.getString(2);
                            rs.getBigDecimal(3);
                            rs.getObject(4, java.time.OffsetDateTime.class);
                            rs.getBoolean(5);
                            rs.getObject(6, java.util.UUID.class);
                            return rs.getString(7);
                        }
                    }
                };
            }
            case "vertx" -> {
                Vertx vertx = Vertx.vertx();
                io.vertx.sqlclient.SqlClient pool = Clients.vertxPool(vertx, poolSize);
                resource = () -> {
                    Clients.await(pool.close());
                    Clients.await(vertx.close());
                };
                query = key -> {
                    var r = Clients.await(pool.preparedQuery(BenchDb.POINT_SELECT).execute(Tuple.of(key)))
                            .iterator().next();
                    r.getInteger(0);
                    r.getString(1);
                    r.getBigDecimal(2);
                    r.getOffsetDateTime(3);
                    r.getBoolean(4);
                    r.getUUID(5);
                    return r.getValue(6);
                };
            }
            default -> throw new IllegalArgumentException("client must be pgloom, hikari or vertx, not " + client);
        }
        try {
            return measure(query, warmupSeconds, windowSeconds);
        } finally {
            if (sampler != null) {
                sampler.interrupt();
                sampler.join();
                System.out.println(String.format(Locale.ROOT,
                        "W5POOLSTATS samples=%d whileWaiting=%d idleWhileWaitingMean=%.2f idleWhileWaitingMax=%d",
                        samples, samplesWhileWaiting, samplesWhileWaiting == 0 ? 0.0
                                : (double) idleWhileWaitingSum / samplesWhileWaiting, idleWhileWaitingMax));
            }
            resource.close();
        }
    }

    private long samples;
    private long samplesWhileWaiting;
    private long idleWhileWaitingSum;
    private int idleWhileWaitingMax;

    /**
     * Samples the pool's stats every 10 ms inside the window: how many connections sit idle
     * while callers wait (the hand-off gap; it should stay about 0).
     */
    private Thread startSampler(PgPool pool) {
        return Thread.ofPlatform().daemon().name("w5-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                if (now < windowStart || now > windowEnd) {
                    continue;
                }
                var s = pool.stats();
                samples++;
                if (s.waiting() > 0) {
                    samplesWhileWaiting++;
                    idleWhileWaitingSum += s.idle();
                    idleWhileWaitingMax = Math.max(idleWhileWaitingMax, s.idle());
                }
            }
        });
    }

    private Result measure(Query query, int warmupSeconds, int windowSeconds) throws InterruptedException {
        Caller[] all = new Caller[callers];
        AtomicLongArray perSecond = new AtomicLongArray(windowSeconds);
        LongAdder errors = new LongAdder();
        Thread[] threads = new Thread[callers];
        for (int i = 0; i < callers; i++) {
            Caller c = new Caller(i);
            all[i] = c;
            threads[i] = Thread.ofVirtual().name("caller-" + i).start(() -> c.loop(query, perSecond, errors));
        }
        Thread.sleep(warmupSeconds * 1000L);
        long start = System.nanoTime();
        windowEnd = start + windowSeconds * 1_000_000_000L;
        windowStart = start;
        var serverBefore = CpuClock.serverSnapshot();
        long clientBefore = CpuClock.processCpuNanos();
        Thread.sleep(windowSeconds * 1000L);
        long clientCpu = CpuClock.processCpuNanos() - clientBefore;
        double serverCpu = CpuClock.serverCpuNanosSince(serverBefore);
        Thread.sleep(50);
        stop = true;
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(90));
        }
        long total = 0;
        int starved = 0;
        int n = 0;
        for (Caller c : all) {
            total += c.count;
            n += c.count;
            if (c.count == 0) {
                starved++;
            }
        }
        long[] latencies = new long[n];
        int at = 0;
        for (Caller c : all) {
            System.arraycopy(c.latencies, 0, latencies, at, c.count);
            at += c.count;
        }
        Arrays.sort(latencies);
        double[] slices = new double[windowSeconds];
        for (int i = 0; i < windowSeconds; i++) {
            slices[i] = perSecond.get(i);
        }
        return new Result(client, callers, poolSize, windowSeconds, total, slices,
                percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1], starved, errors.sum(),
                total == 0 ? Double.NaN : clientCpu / 1e3 / total, total == 0 ? Double.NaN : serverCpu / 1e3 / total);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One virtual thread's loop and what it completed inside the window. */
    private final class Caller {
        final int id;
        long[] latencies = new long[256];
        int count;
        Object sink;

        Caller(int id) {
            this.id = id;
        }

        void loop(Query query, AtomicLongArray perSecond, LongAdder errors) {
            int key = id * 7 % BenchDb.ROWS;
            while (!stop) {
                key = key % BenchDb.ROWS + 1;
                long t0 = System.nanoTime();
                try {
                    sink = query.run(key);
                } catch (Exception e) {
                    errors.increment();
                    if (firstError == null) {
                        firstError = e;
                        System.out.println("first error: " + e);
                    }
                    continue;
                }
                long t1 = System.nanoTime();
                if (t0 >= windowStart && t1 <= windowEnd) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = t1 - t0;
                    perSecond.incrementAndGet((int) ((t1 - windowStart) / 1_000_000_000L));
                }
            }
        }
    }

    /**
     * What one client did in the window; CPU per op is this JVM's process CPU time over the window
     * and the server's client backends' ({@link CpuClock}), divided by the window's queries.
     */
    public record Result(String client, int callers, int pool, int windowSeconds, long ops, double[] perSecond,
                         long p50Nanos, long p99Nanos, long maxNanos, int starved, long errors,
                         double clientCpuMicros, double serverCpuMicros) {

        public double opsPerSecond() {
            return (double) ops / windowSeconds;
        }

        /** Standard deviation of the one-second slices. */
        public double opsPerSecondSd() {
            double mean = Arrays.stream(perSecond).average().orElse(0);
            double var = Arrays.stream(perSecond).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, perSecond.length - 1);
            return Math.sqrt(var);
        }

        String line() {
            List<String> slices = new ArrayList<>();
            for (double d : perSecond) {
                slices.add(String.valueOf((long) d));
            }
            return String.format(Locale.ROOT,
                    "W5RESULT client=%s callers=%d pool=%d window=%d ops=%d p50=%d p99=%d max=%d starved=%d errors=%d"
                            + " clientCpu=%.2f serverCpu=%.2f slices=%s",
                    client, callers, pool, windowSeconds, ops, p50Nanos, p99Nanos, maxNanos, starved, errors,
                    clientCpuMicros, serverCpuMicros, String.join(",", slices));
        }

        static Result parse(String line) {
            java.util.Map<String, String> m = new java.util.HashMap<>();
            for (String part : line.substring(line.indexOf("W5RESULT") + 9).trim().split(" ")) {
                int eq = part.indexOf('=');
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
            double[] slices = Arrays.stream(m.get("slices").split(",")).filter(s -> !s.isEmpty())
                    .mapToDouble(Double::parseDouble).toArray();
            return new Result(m.get("client"), Integer.parseInt(m.get("callers")), Integer.parseInt(m.get("pool")),
                    Integer.parseInt(m.get("window")), Long.parseLong(m.get("ops")), slices,
                    Long.parseLong(m.get("p50")), Long.parseLong(m.get("p99")), Long.parseLong(m.get("max")),
                    Integer.parseInt(m.get("starved")), Long.parseLong(m.get("errors")),
                    Double.parseDouble(m.getOrDefault("clientCpu", "NaN")),
                    Double.parseDouble(m.getOrDefault("serverCpu", "NaN")));
        }
    }
}
