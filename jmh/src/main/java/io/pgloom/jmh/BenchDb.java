package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.pgloom.testing.PgServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The database every benchmark talks to, and the data it holds.
 *
 * <p>The suite runner ({@link Suite}) starts one PostgreSQL 17 (fsync off, synchronous_commit
 * off), loads the tables once and hands the URI to every JMH fork in the system property
 * {@value #URL_PROPERTY}. A fork started without it (a benchmark run straight from JMH's own
 * main) starts a server of its own, once per JVM.
 */
public final class BenchDb {

    /** The system property that carries the superuser URI to the forks. */
    public static final String URL_PROPERTY = "pgloom.bench.url";
    /**
     * The system property that says how the benchmarked clients connect: {@code disable} (the
     * default) or {@code require} (TLS; the benchmark server always has TLS on). Every client
     * made by {@link Clients}, by {@link #jdbc} and by W5 follows it; setup and loading do not.
     */
    public static final String SSLMODE_PROPERTY = "pgloom.bench.sslmode";

    /** Rows in {@code bench_row}; W2 cycles through all of them, W3 reads 1,000 at a time. */
    public static final int ROWS = 10_000;

    /** W2's point select: a 7-column row by primary key. */
    public static final String POINT_SELECT =
            "SELECT id, name, amount, created, active, uid, doc FROM bench_row WHERE id = $1";
    /** W3's range select: 1,000 such rows. */
    public static final String RANGE_SELECT =
            "SELECT id, name, amount, created, active, uid, doc FROM bench_row WHERE id BETWEEN $1 AND $2";
    /** W4's insert. */
    public static final String INSERT = "INSERT INTO bench_ins (id, name, qty, ok) VALUES ($1, $2, $3, $4)";

    private static volatile String url;
    private static PgServer own;

    private BenchDb() {
    }

    /** The superuser URI (postgresql://...), starting and loading a server if nobody passed one. */
    public static synchronized String url() {
        if (url == null) {
            String passed = System.getProperty(URL_PROPERTY);
            if (passed != null && !passed.isBlank()) {
                url = passed;
            } else {
                own = startServer();
                url = own.uri();
                load(url);
            }
        }
        return url;
    }

    /** How the benchmarked clients connect: {@code disable} or {@code require} ({@value #SSLMODE_PROPERTY}). */
    public static String sslmode() {
        String mode = System.getProperty(SSLMODE_PROPERTY, "disable");
        if (!mode.equals("disable") && !mode.equals("require")) {
            throw new IllegalArgumentException(SSLMODE_PROPERTY + " must be disable or require, not " + mode);
        }
        return mode;
    }

    /** The superuser URI with the benchmarked clients' {@link #sslmode()}. */
    public static String clientUrl() {
        return url().replace("sslmode=disable", "sslmode=" + sslmode());
    }

    /** Starts the benchmark server: PostgreSQL 17 with durability off. */
    public static PgServer startServer() {
        return PgServer.builder().version("17")
                .setting("fsync", "off")
                .setting("synchronous_commit", "off")
                .setting("full_page_writes", "off")
                .setting("max_connections", "300")
                .setting("shared_buffers", "128MB")
                .build().start();
    }

    /** Creates and fills the tables, once per server. */
    public static void load(String uri) {
        try (PgConnection c = PgConnection.connect(uri)) {
            c.execute("SET client_min_messages = warning");
            c.execute("DROP TABLE IF EXISTS bench_row");
            c.execute("""
                    CREATE TABLE bench_row (
                        id      int4 PRIMARY KEY,
                        name    text NOT NULL,
                        amount  numeric(12, 2) NOT NULL,
                        created timestamptz NOT NULL,
                        active  bool NOT NULL,
                        uid     uuid NOT NULL,
                        doc     jsonb NOT NULL)""");
            c.execute("""
                    INSERT INTO bench_row
                    SELECT i, 'customer-' || i, (i * 37 % 100000) / 100.0,
                           timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes',
                           i % 3 = 0, md5(i::text)::uuid,
                           jsonb_build_object('id', i, 'tags', jsonb_build_array('a', 'b'), 'score', i % 97)
                    FROM generate_series(1, """ + ROWS + ") i");
            c.execute("DROP TABLE IF EXISTS bench_ins");
            c.execute("CREATE TABLE bench_ins (id int4, name text, qty int8, ok bool)");
            c.execute("VACUUM ANALYZE bench_row");
        }
    }

    /** A pgjdbc connection to the same server with {@link #sslmode()}, with extra driver properties (name, value, ...). */
    public static Connection jdbc(String... properties) throws SQLException {
        Properties p = new Properties();
        Uri u = Uri.parse(url());
        p.setProperty("user", u.user);
        p.setProperty("password", u.password);
        p.setProperty("sslmode", sslmode()); // "require" encrypts without checking the certificate, as libpq
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /** jdbc:postgresql://host:port/db */
    public static String jdbcUrl() {
        Uri u = Uri.parse(url());
        return "jdbc:postgresql://" + u.host + ":" + u.port + "/" + u.database;
    }

    /** The parts of a postgresql://user:password@host:port/db?... URI that the other clients need. */
    public record Uri(String user, String password, String host, int port, String database) {
        public static Uri parse(String uri) {
            java.net.URI u = java.net.URI.create(uri);
            String[] userInfo = u.getUserInfo().split(":", 2);
            return new Uri(userInfo[0], userInfo.length > 1 ? userInfo[1] : "", u.getHost(), u.getPort(),
                    u.getPath().substring(1));
        }

        public static Uri current() {
            return parse(url());
        }
    }
}
