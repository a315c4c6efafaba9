package io.pgloom.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgloom.PgConnection;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** HikariCP pooling PgloomDriver connections, used from virtual threads. */
class HikariTest {

    @Test
    void poolsDriverConnectionsAndReplacesABrokenOne() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDb.url());
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(10_000);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> sums = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    int base = t;
                    sums.add(threads.submit(() -> {
                        int sum = 0;
                        for (int i = 0; i < 20; i++) {
                            try (Connection c = ds.getConnection();
                                 var ps = c.prepareStatement("SELECT ? + ?")) {
                                ps.setInt(1, base);
                                ps.setInt(2, i);
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    sum += rs.getInt(1);
                                }
                            }
                        }
                        return sum;
                    }));
                }
                for (int t = 0; t < 12; t++) {
                    assertThat(sums.get(t).get()).isEqualTo(20 * t + 190);
                }
            }
            assertThat(ds.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(3);

            int pid;
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TEMP TABLE hk (a int)");
                }
                c.rollback();
                pid = c.unwrap(PgConnection.class).serverPid();
            }
            try (Connection admin = TestDb.connect(); Statement st = admin.createStatement()) {
                st.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            // the killed connection fails once with an 08 state, which makes Hikari evict it
            for (int attempt = 0; attempt < 5; attempt++) {
                try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isNotEqualTo(pid);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).startsWith("08");
                }
            }
            assertThat(ds.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(3);
        }
    }
}
