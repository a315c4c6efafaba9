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

/**
 * W2: one connection, point select by primary key of a 7-column row (int, text, numeric,
 * timestamptz, bool, uuid, jsonb), every column decoded; ops/s. With {@code -prof gc} its
 * {@code gc.alloc.rate.norm} is W6, the bytes allocated per query.
 */
@State(Scope.Thread)
public class W2PointSelect {

    static final int BATCH = 100;

    /** The next key, cycling through every row so that no client reads a hotter cache line. */
    private int next;

    private int key() {
        next = next % BenchDb.ROWS + 1;
        return next;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pgloom(W1SelectOne.Pgloom s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                Row r = s.conn.fetchRow(BenchDb.POINT_SELECT, key());
                Clients.consume(r, bh);
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pgjdbc(W2Jdbc s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                s.ps.setInt(1, key());
                try (ResultSet rs = s.ps.executeQuery()) {
                    rs.next();
                    Clients.consume(rs, bh);
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vertx(W1SelectOne.VertxPg s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                var rows = Clients.await(s.conn.preparedQuery(BenchDb.POINT_SELECT).execute(Tuple.of(key())));
                Clients.consume(rows.iterator().next(), bh);
            }
        });
    }

    /** pgjdbc with W2's statement prepared once. */
    @State(Scope.Thread)
    public static class W2Jdbc {
        Connection conn;
        PreparedStatement ps;

        @Setup(Level.Trial)
        public void open() throws Exception {
            conn = Clients.pgjdbc();
            ps = conn.prepareStatement(BenchDb.POINT_SELECT.replace("$1", "?"));
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
        }
    }
}
