package io.pgloom.jmh;

import io.pgloom.Row;
import io.vertx.sqlclient.Tuple;
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

/**
 * W3: one connection, 1,000 of W2's rows per query, every column of every row decoded; the
 * score is rows/s (an "op" is one row). Runs on a virtual thread.
 */
@State(Scope.Thread)
public class W3RangeSelect {

    static final int ROWS = 1_000;

    private int next;

    private int first() {
        next = (next + 997) % (BenchDb.ROWS - ROWS);
        return next + 1;
    }

    @State(Scope.Thread)
    public static class Jdbc {
        Connection conn;
        PreparedStatement ps;

        @Setup(Level.Trial)
        public void open() throws Exception {
            conn = Clients.pgjdbc();
            ps = conn.prepareStatement(BenchDb.RANGE_SELECT.replace("$1", "?").replace("$2", "?"));
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgloom(W1SelectOne.Pgloom s, Blackhole bh) throws Exception {
        OnThread.onVirtual(() -> {
            int from = first();
            List<Row> rows = s.conn.fetch(BenchDb.RANGE_SELECT, from, from + ROWS - 1);
            for (Row r : rows) {
                Clients.consume(r, bh);
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgjdbc(Jdbc s, Blackhole bh) throws Exception {
        OnThread.onVirtual(() -> {
            int from = first();
            s.ps.setInt(1, from);
            s.ps.setInt(2, from + ROWS - 1);
            try (ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    Clients.consume(rs, bh);
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void vertx(W1SelectOne.VertxPg s, Blackhole bh) throws Exception {
        OnThread.onVirtual(() -> {
            int from = first();
            var rows = Clients.await(s.conn.preparedQuery(BenchDb.RANGE_SELECT).execute(Tuple.of(from, from + ROWS - 1)));
            for (var r : rows) {
                Clients.consume(r, bh);
            }
        });
    }
}
