package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.Transaction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;

/**
 * W8: export 1,000,000 of W3's rows (seven columns, every one decoded) through a cursor, in a
 * transaction, on one connection: pgloom's {@code conn.cursor} against pgjdbc's
 * {@code setFetchSize(1000)} (which streams only with autocommit off). The score is rows/s (an
 * "op" is one row); {@link PeakHeap} reports the heap each needed ({@code heap.peak},
 * {@code heap.live}, the largest of any iteration). Runs on a virtual thread.
 *
 * <p>The rows live in {@code bench_export}, made from {@code bench_row}'s expressions the first
 * time a fork finds it missing (a few seconds, outside the measurement).
 */
@State(Scope.Thread)
public class W8CursorExport {

    static final int ROWS = 1_000_000;
    static final int FETCH_SIZE = 1_000;
    static final String SELECT = "SELECT id, name, amount, created, active, uid, doc FROM bench_export";

    @State(Scope.Thread)
    public static class Pgloom {
        PgConnection conn;

        @Setup(Level.Trial)
        public void open() {
            conn = Clients.pgloom();
            createTable(conn);
        }

        @TearDown(Level.Trial)
        public void close() {
            conn.close();
        }
    }

    @State(Scope.Thread)
    public static class Jdbc {
        Connection conn;
        PreparedStatement ps;

        @Setup(Level.Trial)
        public void open() throws Exception {
            try (PgConnection c = Clients.pgloom()) {
                createTable(c);
            }
            conn = Clients.pgjdbc();
            conn.setAutoCommit(false);
            ps = conn.prepareStatement(SELECT);
            ps.setFetchSize(FETCH_SIZE);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
        }
    }

    static void createTable(PgConnection c) {
        if (c.fetchVal("SELECT to_regclass('bench_export')") != null) {
            return;
        }
        c.execute("""
                CREATE TABLE IF NOT EXISTS bench_export AS
                SELECT i AS id, 'customer-' || i AS name, ((i * 37 % 100000) / 100.0)::numeric(12, 2) AS amount,
                       timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes' AS created,
                       i % 3 = 0 AS active, md5(i::text)::uuid AS uid,
                       jsonb_build_object('id', i, 'tags', jsonb_build_array('a', 'b'), 'score', i % 97) AS doc
                FROM generate_series(1, """ + ROWS + ") i");
        c.execute("VACUUM ANALYZE bench_export");
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgloom(Pgloom s, Blackhole bh) throws Exception {
        OnThread.onVirtual(() -> {
            long n = 0;
            try (Transaction tx = s.conn.transaction(); RowCursor cur = s.conn.cursor(FETCH_SIZE, SELECT)) {
                for (Row r : cur) {
                    Clients.consume(r, bh);
                    n++;
                }
                cur.close();
                tx.commit();
            }
            check(n);
        });
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgjdbc(Jdbc s, Blackhole bh) throws Exception {
        OnThread.onVirtual(() -> {
            long n = 0;
            try (ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    Clients.consume(rs, bh);
                    n++;
                }
            }
            s.conn.commit();
            check(n);
        });
    }

    private static void check(long rows) {
        if (rows != ROWS) {
            throw new IllegalStateException("exported " + rows + " rows, not " + ROWS);
        }
    }

    /** The W8 heap figures of JMH's JSON results, as a markdown table; empty when W8 did not run. */
    static String heapTable(List<String> jsons) {
        StringBuilder b = new StringBuilder();
        for (String json : jsons) {
            for (Object o : new io.vertx.core.json.JsonArray(json)) {
                var r = (io.vertx.core.json.JsonObject) o;
                String benchmark = r.getString("benchmark");
                var secondary = r.getJsonObject("secondaryMetrics");
                if (!benchmark.contains("W8CursorExport") || secondary == null) {
                    continue;
                }
                var peak = secondary.getJsonObject(PeakHeap.PEAK);
                var live = secondary.getJsonObject(PeakHeap.LIVE);
                b.append("| ").append(benchmark.substring(benchmark.lastIndexOf('.') + 1)).append(" | ")
                        .append(peak == null ? "" : String.format(Locale.ROOT, "%.1f", peak.getDouble("score")))
                        .append(" | ")
                        .append(live == null ? "" : String.format(Locale.ROOT, "%.1f", live.getDouble("score")))
                        .append(" |\n");
            }
        }
        if (b.isEmpty()) {
            return "";
        }
        return "\n**W8** heap while exporting 1,000,000 rows (MiB, the largest of any iteration of a round;"
                + " peak includes garbage not yet collected, live is what stayed reachable after a GC):\n\n"
                + "| client | heap.peak | heap.live |\n|---|---:|---:|\n" + b;
    }
}
