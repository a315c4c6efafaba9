package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W3's query (1,000 rows, every column decoded, one connection, on a virtual thread per query)
 * with both drivers in one JVM, in alternating slices as {@link W9Interleaved} does: pgloom, then
 * pgjdbc, then pgjdbc first in the next cycle, and so on; one ratio per cycle from two slices
 * moments apart. W3 over TLS is where this machine's drift hid a 10% difference: JMH forks a
 * minute apart read 0.94 to 1.89 for one build. With {@code -Dpgloom.bench.sslmode=require} both
 * clients encrypt, as in the suite's TLS pass.
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.W3Interleaved [warm-up cycles] [cycles] [slice seconds]</pre>
 */
public final class W3Interleaved {

    private W3Interleaved() {
    }

    /** One driver's slice: rows/s, and client and server CPU microseconds per row. */
    private record Slice(double rowsPerSecond, double clientMicrosPerRow, double serverMicrosPerRow) {
    }

    private interface Query {
        int run(int from) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int warmupCycles = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double sliceSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        try (PgConnection loom = Clients.pgloom(); Connection jdbc = Clients.pgjdbc()) {
            PreparedStatement ps = jdbc.prepareStatement(BenchDb.RANGE_SELECT.replace("$1", "?").replace("$2", "?"));
            Query loomQuery = from -> {
                List<Row> rows = loom.fetch(BenchDb.RANGE_SELECT, from, from + W3RangeSelect.ROWS - 1);
                for (Row r : rows) {
                    Clients.consume(r, bh);
                }
                return rows.size();
            };
            Query jdbcQuery = from -> {
                ps.setInt(1, from);
                ps.setInt(2, from + W3RangeSelect.ROWS - 1);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Clients.consume(rs, bh);
                        n++;
                    }
                }
                return n;
            };
            List<double[]> rows = new ArrayList<>();
            for (int c = 0; c < warmupCycles + cycles; c++) {
                Slice l;
                Slice j;
                if (c % 2 == 0) {
                    l = slice(loomQuery, sliceSeconds);
                    j = slice(jdbcQuery, sliceSeconds);
                } else {
                    j = slice(jdbcQuery, sliceSeconds);
                    l = slice(loomQuery, sliceSeconds);
                }
                if (c < warmupCycles) {
                    continue;
                }
                rows.add(new double[] {l.rowsPerSecond(), j.rowsPerSecond(), l.rowsPerSecond() / j.rowsPerSecond(),
                        l.clientMicrosPerRow(), j.clientMicrosPerRow(), l.serverMicrosPerRow(), j.serverMicrosPerRow()});
                System.out.printf(Locale.ROOT, "cycle %2d: pgloom %,9.0f  pgjdbc %,9.0f rows/s  ratio %.3f"
                                + "  client µs/row %.3f / %.3f  server µs/row %.3f / %.3f%n",
                        c - warmupCycles + 1, l.rowsPerSecond(), j.rowsPerSecond(), l.rowsPerSecond() / j.rowsPerSecond(),
                        l.clientMicrosPerRow(), j.clientMicrosPerRow(), l.serverMicrosPerRow(), j.serverMicrosPerRow());
            }
            String[] labels = {"pgloom rows/s", "pgjdbc rows/s", "pgloom ÷ pgjdbc", "client µs/row pgloom",
                    "client µs/row pgjdbc", "server µs/row pgloom", "server µs/row pgjdbc"};
            System.out.printf(Locale.ROOT, "W3I sslmode=%s, %d cycles of %.1f s slices (mean ± 99.9%% t-interval, as JMH):%n",
                    System.getProperty("pgloom.bench.sslmode", "disable"), cycles, sliceSeconds);
            Stats.summary("W3I", labels, rows).forEach(System.out::println);
        }
    }

    /** Runs the query from one virtual thread per query, as the JMH benchmark does, for {@code seconds}. */
    private static Slice slice(Query query, double seconds) throws Exception {
        long nanos = (long) (seconds * 1e9);
        Map<Long, Long> serverBefore = CpuClock.serverSnapshot();
        long cpuBefore = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        long end = start + nanos;
        long rowsRead = 0;
        int next = 0;
        while (System.nanoTime() < end) {
            next = (next + 997) % (BenchDb.ROWS - W3RangeSelect.ROWS);
            int from = next + 1;
            int[] got = new int[1];
            OnThread.onVirtual(() -> got[0] = query.run(from));
            rowsRead += got[0];
        }
        long elapsed = System.nanoTime() - start;
        long cpu = CpuClock.processCpuNanos() - cpuBefore;
        double server = CpuClock.serverCpuNanosSince(serverBefore);
        return new Slice(rowsRead * 1e9 / elapsed, cpu / (double) rowsRead / 1e3, server / rowsRead / 1e3);
    }
}
