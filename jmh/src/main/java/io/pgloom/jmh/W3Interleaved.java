package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

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

    public static void main(String[] args) throws Exception {
        Interleave.Settings settings = Interleave.Settings.parse(args, 0);
        Blackhole bh = Interleave.blackhole();
        try (PgConnection loom = Clients.pgloom(); Connection jdbc = Clients.pgjdbc()) {
            PreparedStatement ps = jdbc.prepareStatement(BenchDb.RANGE_SELECT.replace("$1", "?").replace("$2", "?"));
            Interleave.Work loomQuery = from -> {
                List<Row> rows = loom.fetch(BenchDb.RANGE_SELECT, from, from + W3RangeSelect.ROWS - 1);
                for (Row r : rows) {
                    Clients.consume(r, bh);
                }
                return rows.size();
            };
            Interleave.Work jdbcQuery = from -> {
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
            // Each query starts 997 rows after the last one's start, wrapping within the table.
            Interleave.run("W3I", "row", "rows", loomQuery, jdbcQuery, from -> (from + 997) % (BenchDb.ROWS - W3RangeSelect.ROWS) + 1,
                    1, settings);
        }
    }
}
