package io.pgloom.jmh;

import io.pgloom.PgConnection;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * W1's or W2's query (one connection, batches of 100 queries on a fresh virtual thread, as in
 * {@link W1SelectOne} and {@link W2PointSelect}) with both drivers in one JVM, in alternating
 * slices ({@link Interleave}). Over TLS ({@code -Dpgloom.bench.sslmode=require}) issue 16 asks
 * for both a speed ratio and client CPU per query no higher than pgjdbc's; JMH's five
 * iterations per fork give error bars of ±50% on this machine for either, these give a ratio
 * and both CPU figures per cycle, a second apart.
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.W12Interleaved w1|w2 [warm-up cycles] [cycles] [slice seconds]</pre>
 */
public final class W12Interleaved {

    private W12Interleaved() {
    }

    public static void main(String[] args) throws Exception {
        String workload = args.length > 0 ? args[0] : "w2";
        Interleave.Settings settings = Interleave.Settings.parse(args, 1);
        Blackhole bh = Interleave.blackhole();
        try (PgConnection loom = Clients.pgloom(); Connection jdbc = Clients.pgjdbc()) {
            switch (workload) {
                case "w1" -> {
                    PreparedStatement ps = jdbc.prepareStatement("SELECT ?::int4");
                    Interleave.run("W1I", "query", "queries", i -> {
                        bh.consume(loom.fetchVal("SELECT $1::int4", i));
                        return 1;
                    }, i -> {
                        ps.setInt(1, i);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            bh.consume(rs.getInt(1));
                        }
                        return 1;
                    }, i -> (i + 1) % W1SelectOne.BATCH, W1SelectOne.BATCH, settings);
                }
                case "w2" -> {
                    PreparedStatement ps = jdbc.prepareStatement(BenchDb.POINT_SELECT.replace("$1", "?"));
                    Interleave.run("W2I", "query", "queries", key -> {
                        Clients.consume(loom.fetchRow(BenchDb.POINT_SELECT, key), bh);
                        return 1;
                    }, key -> {
                        ps.setInt(1, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            Clients.consume(rs, bh);
                        }
                        return 1;
                    }, key -> key % BenchDb.ROWS + 1, W2PointSelect.BATCH, settings);
                }
                default -> throw new IllegalArgumentException("no workload " + workload + "; w1 or w2");
            }
        }
    }
}
