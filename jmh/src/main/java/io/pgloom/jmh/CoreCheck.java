package io.pgloom.jmh;

import io.pgloom.PgConnection;

/**
 * How fast each side's core runs right now, measured by work that involves neither driver: a
 * fixed loop on the client's thread, and a fixed CPU-bound query on the server. This machine is a
 * VM with two virtual CPUs, and either of them can run at about half its usual speed for minutes
 * at a time (a fixed loop pinned to one CPU took 0.41 s where the other took 0.23 s, and the next
 * minute they swapped), which changes every figure measured through it. The interleaved runners
 * take both readings every cycle, so that a cycle's figures come with the state of the machine
 * they were measured on, and a slow spell shows as a number rather than a guess.
 */
final class CoreCheck implements AutoCloseable {

    /** The server's fixed work: 37-39 ms on a quiet core here, 60-70 ms in a slow spell. */
    private static final String SERVER_WORK = "SELECT count(*) FROM generate_series(1, 300000)";
    /** The client's fixed work: 33-35 ms on a quiet core here. */
    private static final int CLIENT_STEPS = 20_000_000;

    /** A cycle counts as steady when both of its readings are within this factor of the run's fastest. */
    static final double STEADY_WITHIN = 1.25;

    private final PgConnection server;
    private long sink;

    CoreCheck() {
        server = Clients.pgloom();
        server.fetchVal(SERVER_WORK); // the first run plans and warms the backend
        clientMillis();
    }

    /** Milliseconds the client's fixed loop takes on the calling thread's core. */
    double clientMillis() {
        long start = System.nanoTime();
        long x = sink | 1;
        for (int i = 0; i < CLIENT_STEPS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        sink = x; // kept, so that the JIT cannot drop the loop
        return (System.nanoTime() - start) / 1e6;
    }

    /** Milliseconds the server takes for its fixed query, round trip included (tens of microseconds of it). */
    double serverMillis() {
        long start = System.nanoTime();
        server.fetchVal(SERVER_WORK);
        return (System.nanoTime() - start) / 1e6;
    }

    /** Both readings at once, client first: the state of the machine for the cycle that follows. */
    double[] read() {
        return new double[] {clientMillis(), serverMillis()};
    }

    /**
     * Prints the spread of a run's readings (one {@link #read()} per row of {@code rows}) and,
     * when some cycles ran with a core slower than {@link #STEADY_WITHIN} times its fastest
     * reading of the run, the summary of the other cycles alone. The cycles are chosen by the
     * readings, which no driver takes part in, never by the figures summarised: all cycles'
     * summary is printed first, whatever it says.
     */
    static void report(String tag, String[] labels, java.util.List<double[]> rows, java.util.List<double[]> readings) {
        double fastestClient = readings.stream().mapToDouble(r -> r[0]).min().orElse(Double.NaN);
        double fastestServer = readings.stream().mapToDouble(r -> r[1]).min().orElse(Double.NaN);
        java.util.List<double[]> steady = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] r = readings.get(i);
            if (r[0] <= fastestClient * STEADY_WITHIN && r[1] <= fastestServer * STEADY_WITHIN) {
                steady.add(rows.get(i));
            }
        }
        System.out.printf(java.util.Locale.ROOT, "%s   core check, ms (fixed work; lower is faster): client %.1f-%.1f, server %.1f-%.1f;"
                        + " %d of %d cycles steady (both within %.2fx of their fastest)%n", tag,
                fastestClient, readings.stream().mapToDouble(r -> r[0]).max().orElse(Double.NaN),
                fastestServer, readings.stream().mapToDouble(r -> r[1]).max().orElse(Double.NaN),
                steady.size(), rows.size(), STEADY_WITHIN);
        if (steady.size() < rows.size() && steady.size() >= 2) {
            System.out.printf(java.util.Locale.ROOT, "%s steady cycles only:%n", tag);
            Stats.summary(tag, labels, steady).forEach(System.out::println);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
