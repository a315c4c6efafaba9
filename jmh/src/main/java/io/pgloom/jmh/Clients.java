package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import org.openjdk.jmh.infra.Blackhole;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * How each client connects, and how each decodes all seven columns of a {@code bench_row} row
 * into the same Java types: Integer, String, BigDecimal, OffsetDateTime, Boolean, UUID and the
 * jsonb document (a String for pgloom and pgjdbc; Vert.x parses jsonb into its own JSON tree).
 */
public final class Clients {

    private Clients() {
    }

    public static PgConnection pgloom() {
        return PgConnection.connect(BenchDb.clientUrl());
    }

    /**
     * pgjdbc at its best for repeated statements: server-prepared from the first execution
     * (prepareThreshold=1), binary transfer on.
     */
    public static Connection pgjdbc(String... extra) throws SQLException {
        String[] props = new String[extra.length + 2];
        props[0] = "prepareThreshold";
        props[1] = "1";
        System.arraycopy(extra, 0, props, 2, extra.length);
        return BenchDb.jdbc(props);
    }

    public static PgConnectOptions vertxOptions() {
        BenchDb.Uri u = BenchDb.Uri.current();
        PgConnectOptions options = new PgConnectOptions().setHost(u.host()).setPort(u.port()).setDatabase(u.database())
                .setUser(u.user()).setPassword(u.password())
                .setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(64)
                .setPipeliningLimit(256);
        if (BenchDb.sslmode().equals("require")) {
            // Encrypted, certificate not checked: what sslmode=require means for the other two.
            options.setSslMode(io.vertx.pgclient.SslMode.REQUIRE)
                    .setSslOptions(new io.vertx.core.net.ClientSSLOptions().setTrustAll(true));
        }
        return options;
    }

    /** One Vert.x connection, with its prepared-statement cache on. */
    public static SqlClient vertxConnection(Vertx vertx) {
        return await(io.vertx.pgclient.PgConnection.connect(vertx, vertxOptions()));
    }

    /**
     * Vert.x's pipelined client over a pool of {@code size} connections (PgBuilder.client(), not
     * PgBuilder.pool(), which does not pipeline): each connection carries up to 256 queries in
     * flight.
     */
    public static SqlClient vertxPool(Vertx vertx, int size) {
        return io.vertx.pgclient.PgBuilder.client().with(new PoolOptions().setMaxSize(size))
                .connectingTo(vertxOptions()).using(vertx).build();
    }

    /** Blocks the calling thread (virtual or platform) until the future completes. */
    public static <T> T await(Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }

    // ---- decoding all seven columns ----

    public static void consume(Row r, Blackhole bh) {
        bh.consume(r.get(0));
        bh.consume(r.get(1));
        bh.consume(r.get(2));
        bh.consume(r.get(3));
        bh.consume(r.get(4));
        bh.consume(r.get(5));
        bh.consume(r.get(6));
    }

    public static void consume(ResultSet rs, Blackhole bh) throws SQLException {
        bh.consume(rs.getInt(1));
        bh.consume(rs.getString(2));
        bh.consume(rs.getBigDecimal(3));
        bh.consume(rs.getObject(4, OffsetDateTime.class));
        bh.consume(rs.getBoolean(5));
        bh.consume(rs.getObject(6, UUID.class));
        bh.consume(rs.getString(7));
    }

    public static void consume(io.vertx.sqlclient.Row r, Blackhole bh) {
        bh.consume(r.getInteger(0));
        bh.consume(r.getString(1));
        BigDecimal amount = r.getBigDecimal(2);
        bh.consume(amount);
        bh.consume(r.getOffsetDateTime(3));
        bh.consume(r.getBoolean(4));
        bh.consume(r.getUUID(5));
        bh.consume(r.getValue(6));
    }
}
