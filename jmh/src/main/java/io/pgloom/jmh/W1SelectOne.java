package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
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

/** W1: one connection, sequential {@code SELECT $1::int4} round trips; ops/s. */
public class W1SelectOne {

    static final int BATCH = 100;

    @State(Scope.Thread)
    public static class Pgloom {
        PgConnection conn;

        @Setup(Level.Trial)
        public void open() {
            conn = Clients.pgloom();
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
            conn = Clients.pgjdbc();
            ps = conn.prepareStatement("SELECT ?::int4");
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
        }
    }

    @State(Scope.Thread)
    public static class VertxPg {
        Vertx vertx;
        SqlClient conn;

        @Setup(Level.Trial)
        public void open() {
            vertx = Vertx.vertx();
            conn = Clients.vertxConnection(vertx);
        }

        @TearDown(Level.Trial)
        public void close() {
            Clients.await(conn.close());
            Clients.await(vertx.close());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pgloom(Pgloom s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                bh.consume(s.conn.fetchVal("SELECT $1::int4", i));
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pgjdbc(Jdbc s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                s.ps.setInt(1, i);
                try (ResultSet rs = s.ps.executeQuery()) {
                    rs.next();
                    bh.consume(rs.getInt(1));
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vertx(VertxPg s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            for (int i = 0; i < BATCH; i++) {
                var rows = Clients.await(s.conn.preparedQuery("SELECT $1::int4").execute(Tuple.of(i)));
                bh.consume(rows.iterator().next().getInteger(0));
            }
        });
    }
}
