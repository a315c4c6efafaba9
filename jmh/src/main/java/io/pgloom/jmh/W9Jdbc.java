package io.pgloom.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgloom.ConnectOptions;
import io.pgloom.jdbc.PgloomDataSource;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.Immutable;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * W9: the tools on top of the driver. Spring's {@code JdbcTemplate} point select of W2's row,
 * mapped column by column, alone and in a read-only Spring transaction, and Hibernate's
 * {@code find} of the same row as an entity, through pgloom-jdbc (a {@link PgloomDataSource}
 * lending a pgloom pool) or pgjdbc (under HikariCP), both with {@value #POOL} connections; each
 * batch runs on a virtual thread. Run it with
 * {@code java -cp jmh/target/benchmarks.jar org.openjdk.jmh.Main W9Jdbc -t 4} (more JMH threads, more callers on the pool).
 */
public class W9Jdbc {

    static final int BATCH = 100;
    static final int POOL = 16;
    private static final String SQL = BenchDb.POINT_SELECT.replace("$1", "?");

    /** W2's row as Hibernate sees it; read-only. */
    @Entity(name = "BenchRow")
    @Table(name = "bench_row")
    @Immutable
    public static class BenchRow {
        @Id
        int id;
        String name;
        BigDecimal amount;
        OffsetDateTime created;
        boolean active;
        UUID uid;
        @Column(columnDefinition = "jsonb")
        String doc;
    }

    /** The row as JdbcTemplate code maps it. */
    record Point(int id, String name, BigDecimal amount, OffsetDateTime created, boolean active, UUID uid, String doc) {
    }

    private static final RowMapper<Point> POINT = (rs, i) -> new Point(rs.getInt(1), rs.getString(2), rs.getBigDecimal(3),
            rs.getObject(4, OffsetDateTime.class), rs.getBoolean(5), rs.getObject(6, UUID.class), rs.getString(7));

    /** One pool per trial, shared by every JMH thread, and the tools over it. */
    @State(Scope.Benchmark)
    public static class Tools {
        @Param({"pgloom", "pgjdbc"})
        public String driver;

        JdbcTemplate jdbc;
        TransactionTemplate readOnly;
        SessionFactory hibernate;
        private AutoCloseable pool;

        @Setup(Level.Trial)
        public void setUp() {
            DataSource ds;
            if (driver.equals("pgloom")) {
                PgPool p = PgPool.create(PoolOptions.builder().connectOptions(ConnectOptions.fromUri(BenchDb.url()))
                        .minSize(POOL).maxSize(POOL).build());
                pool = p;
                ds = PgloomDataSource.of(p);
            } else {
                HikariConfig config = new HikariConfig();
                BenchDb.Uri u = BenchDb.Uri.current();
                config.setJdbcUrl(BenchDb.jdbcUrl());
                config.setUsername(u.user());
                config.setPassword(u.password());
                config.addDataSourceProperty("sslmode", "disable");
                config.addDataSourceProperty("prepareThreshold", "1");
                config.setMaximumPoolSize(POOL);
                config.setMinimumIdle(POOL);
                HikariDataSource h = new HikariDataSource(config);
                pool = h;
                ds = h;
            }
            jdbc = new JdbcTemplate(ds);
            readOnly = new TransactionTemplate(new DataSourceTransactionManager(ds));
            readOnly.setReadOnly(true);
            Configuration cfg = new Configuration().addAnnotatedClass(BenchRow.class);
            cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds);
            cfg.setProperty(AvailableSettings.SHOW_SQL, "false");
            hibernate = cfg.buildSessionFactory();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            hibernate.close();
            pool.close();
        }
    }

    /** The next key per JMH thread, cycling through every row. */
    @State(Scope.Thread)
    public static class Keys {
        private int next;

        int next() {
            next = next % BenchDb.ROWS + 1;
            return next;
        }
    }

    /** Runs {@value #BATCH} operations on a virtual thread, each on the next key, and consumes their results. */
    private static void batch(Keys keys, Blackhole bh, java.util.function.IntFunction<?> operation) throws Exception {
        OnThread.onVirtual(() -> {
            for (int i = 0; i < BATCH; i++) {
                bh.consume(operation.apply(keys.next()));
            }
        });
    }

    /** The operation of benchmark {@code name} (a method of this class), on a key; shared with {@link W9Interleaved}. */
    static java.util.function.IntFunction<?> operation(String name, Tools t) {
        return switch (name) {
            case "jdbcTemplate" -> key -> t.jdbc.queryForObject(SQL, POINT, key);
            case "readOnlyTransaction" -> key -> t.readOnly.execute(status -> t.jdbc.queryForObject(SQL, POINT, key));
            case "hibernateFind" -> key -> t.hibernate.fromSession(s -> s.find(BenchRow.class, key));
            default -> throw new IllegalArgumentException("no W9 benchmark " + name
                    + "; one of jdbcTemplate, readOnlyTransaction, hibernateFind");
        };
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void jdbcTemplate(Tools t, Keys keys, Blackhole bh) throws Exception {
        batch(keys, bh, operation("jdbcTemplate", t));
    }

    /**
     * What {@code @Transactional(readOnly = true)} around a repository call runs: Spring's
     * {@code DataSourceTransactionManager} marks the connection read-only, turns auto-commit
     * off, runs the point select, commits, and undoes both.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void readOnlyTransaction(Tools t, Keys keys, Blackhole bh) throws Exception {
        batch(keys, bh, operation("readOnlyTransaction", t));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void hibernateFind(Tools t, Keys keys, Blackhole bh) throws Exception {
        batch(keys, bh, operation("hibernateFind", t));
    }
}
