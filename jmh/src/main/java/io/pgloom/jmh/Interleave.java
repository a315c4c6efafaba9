package io.pgloom.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * One connection's workload with both drivers in one JVM, in alternating slices: pgloom, then
 * pgjdbc, then pgjdbc first in the next cycle, and so on; one ratio per cycle from two slices
 * moments apart. This machine's speed drifts from minute to minute (a shared VM), so JMH forks
 * a minute apart can see different machines; here both drivers see the same minute, and the
 * per-cycle ratios give an interval that says something about the drivers. Used by
 * {@link W3Interleaved} and {@link W12Interleaved}; {@link W9Interleaved} does the same for a
 * pool and several callers.
 */
final class Interleave {

    private Interleave() {
    }

    /** How long a run lasts: cycles unmeasured, cycles measured, and each slice's length. */
    record Settings(int warmupCycles, int cycles, double sliceSeconds) {

        /** From the command line, {@code [warm-up cycles] [cycles] [slice seconds]} starting at {@code args[from]}. */
        static Settings parse(String[] args, int from) {
            return new Settings(args.length > from ? Integer.parseInt(args[from]) : 10,
                    args.length > from + 1 ? Integer.parseInt(args[from + 1]) : 20,
                    args.length > from + 2 ? Double.parseDouble(args[from + 2]) : 1.0);
        }
    }

    /** A Blackhole for work run outside JMH, so that the JIT cannot drop what the work decodes. */
    static org.openjdk.jmh.infra.Blackhole blackhole() {
        return new org.openjdk.jmh.infra.Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }

    /** One driver's run of the workload on {@code key}; returns how many units it counts (rows, or 1 query). */
    interface Work {
        int run(int key) throws Exception;
    }

    /** One driver's slice: units per second, and client and server CPU microseconds per unit. */
    private record Slice(double perSecond, double clientMicros, double serverMicros) {
    }

    /**
     * Runs the settings' unmeasured and measured cycles of one slice per
     * driver, prints a line per measured cycle and then the summary, each led by {@code tag}.
     * Besides each driver's figures, the summary gives two paired ones, each cycle's quotient
     * of pgloom's by pgjdbc's: the speed ratio, and the client-CPU ratio (below 1: pgloom spent
     * less), whose intervals are narrower than those of the figures they divide.
     *
     * @param unit what {@link Work#run} counts ("row", "query")
     * @param units its plural
     * @param keys the key of the next unit of work, from the last one
     * @param batch how many runs of a work go on each fresh virtual thread, as the JMH benchmark batches them
     */
    static void run(String tag, String unit, String units, Work loom, Work jdbc, IntUnaryOperator keys, int batch,
                    Settings settings) throws Exception {
        int warmupCycles = settings.warmupCycles();
        int cycles = settings.cycles();
        double sliceSeconds = settings.sliceSeconds();
        int[] key = {0};
        List<double[]> rows = new ArrayList<>();
        List<double[]> readings = new ArrayList<>();
        try (CoreCheck cores = new CoreCheck()) {
            for (int c = 0; c < warmupCycles + cycles; c++) {
                double[] reading = c < warmupCycles ? null : cores.read();
                Slice l;
                Slice j;
                if (c % 2 == 0) {
                    l = slice(loom, keys, key, batch, sliceSeconds);
                    j = slice(jdbc, keys, key, batch, sliceSeconds);
                } else {
                    j = slice(jdbc, keys, key, batch, sliceSeconds);
                    l = slice(loom, keys, key, batch, sliceSeconds);
                }
                if (c < warmupCycles) {
                    continue;
                }
                double ratio = l.perSecond() / j.perSecond();
                rows.add(new double[] {l.perSecond(), j.perSecond(), ratio,
                        l.clientMicros(), j.clientMicros(), l.clientMicros() / j.clientMicros(),
                        l.serverMicros(), j.serverMicros()});
                readings.add(reading);
                System.out.printf(Locale.ROOT, "cycle %2d: pgloom %,9.0f  pgjdbc %,9.0f %s/s  ratio %.3f"
                                + "  client µs/%s %.3f / %.3f  server µs/%s %.3f / %.3f  core check ms %.1f / %.1f%n",
                        c - warmupCycles + 1, l.perSecond(), j.perSecond(), units, ratio,
                        unit, l.clientMicros(), j.clientMicros(), unit, l.serverMicros(), j.serverMicros(),
                        reading[0], reading[1]);
            }
        }
        String[] labels = {"pgloom " + units + "/s", "pgjdbc " + units + "/s", "pgloom ÷ pgjdbc",
                "client µs/" + unit + " pgloom", "client µs/" + unit + " pgjdbc", "client CPU ÷",
                "server µs/" + unit + " pgloom", "server µs/" + unit + " pgjdbc"};
        System.out.printf(Locale.ROOT, "%s sslmode=%s, %d cycles of %.1f s slices (mean ± 99.9%% t-interval, as JMH):%n",
                tag, System.getProperty(BenchDb.SSLMODE_PROPERTY, "disable"), cycles, sliceSeconds);
        Stats.summary(tag, labels, rows).forEach(System.out::println);
        CoreCheck.report(tag, labels, rows, readings);
    }

    /** Runs {@code work} in batches, each on a fresh virtual thread, for {@code seconds}. */
    private static Slice slice(Work work, IntUnaryOperator keys, int[] key, int batch, double seconds) throws Exception {
        long nanos = (long) (seconds * 1e9);
        Map<Long, Long> serverBefore = CpuClock.serverSnapshot();
        long cpuBefore = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        long end = start + nanos;
        long[] units = {0};
        while (System.nanoTime() < end) {
            OnThread.onVirtual(() -> {
                for (int i = 0; i < batch; i++) {
                    key[0] = keys.applyAsInt(key[0]);
                    units[0] += work.run(key[0]);
                }
            });
        }
        long elapsed = System.nanoTime() - start;
        long cpu = CpuClock.processCpuNanos() - cpuBefore;
        double server = CpuClock.serverCpuNanosSince(serverBefore);
        return new Slice(units[0] * 1e9 / elapsed, cpu / (double) units[0] / 1e3, server / units[0] / 1e3);
    }
}
