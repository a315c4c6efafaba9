package io.pgloom.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * W9's operations with both drivers in one JVM, measured in alternating slices: pgloom-jdbc,
 * then pgjdbc + HikariCP, then pgjdbc first in the next cycle, and so on. Each cycle gives one
 * ratio from two slices a second apart.
 *
 * <p>Why besides the JMH benchmark: on a machine whose speed drifts (a shared VM; this one ran
 * the same pgjdbc fork at 18k and at 29k queries/s an hour apart), two JMH forks a minute apart
 * can see different machines, and their ratio says more about the drift than the drivers. Here
 * both see the same minute. The price: both drivers share one JIT, so the code they share
 * (Spring, Hibernate) is compiled for two drivers rather than one; the JMH figure stays the
 * suite's, and this one is named as what it is.
 *
 * <p>Same load as {@code W9Jdbc ... -t 4}: {@code callers} platform threads, each running
 * batches of {@value W9Jdbc#BATCH} operations on a fresh virtual thread and joining it; pools of
 * {@value W9Jdbc#POOL}; default options, pgjdbc with {@code prepareThreshold=1} as in W9.
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.W9Interleaved jdbcTemplate|readOnlyTransaction|hibernateFind [callers] [warm-up cycles] [cycles] [slice seconds]</pre>
 */
public final class W9Interleaved {

    private W9Interleaved() {
    }

    /**
     * One driver's slice: operations, client and server CPU per operation, and how evenly the
     * callers were served: the operations of the caller served least, as a share of the mean
     * caller's (1.0: all alike). A pool that lets a borrower take a returned connection ahead of
     * the callers already waiting (HikariCP's bag does) serves some callers more than others; with
     * more callers than connections this is where that shows.
     */
    private record Slice(double opsPerSecond, double clientMicrosPerOp, double serverMicrosPerOp, double leastServedShare) {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "jdbcTemplate";
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int warmupCycles = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int cycles = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        double sliceSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 1.0;

        BenchDb.url();
        W9Jdbc.Tools pgloom = tools("pgloom");
        W9Jdbc.Tools pgjdbc = tools("pgjdbc");
        try (CoreCheck cores = new CoreCheck()) {
            IntFunction<?> loomOp = W9Jdbc.operation(name, pgloom);
            IntFunction<?> jdbcOp = W9Jdbc.operation(name, pgjdbc);
            for (int c = 0; c < warmupCycles; c++) {
                slice(loomOp, callers, sliceSeconds);
                slice(jdbcOp, callers, sliceSeconds);
            }
            List<double[]> rows = new ArrayList<>();
            List<double[]> readings = new ArrayList<>();
            for (int c = 0; c < cycles; c++) {
                double[] reading = cores.read();
                readings.add(reading);
                Slice loom;
                Slice jdbc;
                if (c % 2 == 0) {
                    loom = slice(loomOp, callers, sliceSeconds);
                    jdbc = slice(jdbcOp, callers, sliceSeconds);
                } else {
                    jdbc = slice(jdbcOp, callers, sliceSeconds);
                    loom = slice(loomOp, callers, sliceSeconds);
                }
                rows.add(new double[] {loom.opsPerSecond(), jdbc.opsPerSecond(), loom.opsPerSecond() / jdbc.opsPerSecond(),
                        loom.clientMicrosPerOp(), jdbc.clientMicrosPerOp(), loom.clientMicrosPerOp() / jdbc.clientMicrosPerOp(),
                        loom.serverMicrosPerOp(), jdbc.serverMicrosPerOp(), loom.leastServedShare(), jdbc.leastServedShare()});
                System.out.printf(Locale.ROOT, "cycle %2d: pgloom %,8.0f  pgjdbc %,8.0f  ratio %.3f  client µs/op %.1f / %.1f  server µs/op %.1f / %.1f"
                                + "  least-served caller %.2f / %.2f of the mean  core check ms %.1f / %.1f%n",
                        c + 1, loom.opsPerSecond(), jdbc.opsPerSecond(), loom.opsPerSecond() / jdbc.opsPerSecond(),
                        loom.clientMicrosPerOp(), jdbc.clientMicrosPerOp(), loom.serverMicrosPerOp(), jdbc.serverMicrosPerOp(),
                        loom.leastServedShare(), jdbc.leastServedShare(), reading[0], reading[1]);
            }
            String[] labels = {"pgloom ops/s", "pgjdbc ops/s", "pgloom ÷ pgjdbc", "client µs/op pgloom", "client µs/op pgjdbc",
                    "client CPU ÷", "server µs/op pgloom", "server µs/op pgjdbc", "least-served ÷ mean pgloom",
                    "least-served ÷ mean pgjdbc"};
            System.out.printf(Locale.ROOT, "W9I %s, %d callers, %d cycles of %.1f s slices (mean ± 99.9%% t-interval, as JMH):%n", name, callers, cycles, sliceSeconds);
            Stats.summary("W9I", labels, rows).forEach(System.out::println);
            CoreCheck.report("W9I", labels, rows, readings);
        } finally {
            pgloom.tearDown();
            pgjdbc.tearDown();
        }
    }

    private static W9Jdbc.Tools tools(String driver) {
        W9Jdbc.Tools t = new W9Jdbc.Tools();
        t.driver = driver;
        t.setUp();
        return t;
    }

    /** Runs the operation from {@code callers} threads for {@code seconds}, as JMH's threads would. */
    private static Slice slice(IntFunction<?> operation, int callers, double seconds) throws Exception {
        LongAdder ops = new LongAdder();
        long nanos = (long) (seconds * 1e9);
        Map<Long, Long> serverBefore = CpuClock.serverSnapshot();
        long cpuBefore = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        long end = start + nanos;
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        long[] perCaller = new long[callers]; // each slot written by its caller's threads only, read after the joins
        for (int i = 0; i < callers; i++) {
            int caller = i;
            int first = 1 + i * (BenchDb.ROWS / callers);
            threads.add(Thread.ofPlatform().start(() -> {
                int[] key = {first};
                try {
                    while (System.nanoTime() < end) {
                        OnThread.onVirtual(() -> {
                            for (int b = 0; b < W9Jdbc.BATCH; b++) {
                                key[0] = key[0] % BenchDb.ROWS + 1;
                                if (operation.apply(key[0]) == null) {
                                    throw new IllegalStateException("no row for key " + key[0]);
                                }
                                perCaller[caller]++;
                            }
                        });
                        ops.add(W9Jdbc.BATCH);
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        long cpu = CpuClock.processCpuNanos() - cpuBefore;
        double server = CpuClock.serverCpuNanosSince(serverBefore);
        if (failure[0] != null) {
            throw failure[0];
        }
        double n = ops.sum();
        long least = Long.MAX_VALUE;
        long all = 0;
        for (long done : perCaller) {
            least = Math.min(least, done);
            all += done;
        }
        return new Slice(n * 1e9 / elapsed, cpu / n / 1e3, server / n / 1e3, least * (double) callers / all);
    }
}
