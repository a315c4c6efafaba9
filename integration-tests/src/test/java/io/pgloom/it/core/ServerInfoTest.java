package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a connection knows about its server and session. */
class ServerInfoTest {

    @Test
    void versionPidAndParameters() {
        try (PgConnection conn = TestDb.connect()) {
            assertThat(conn.serverVersion()).isEqualTo(conn.fetchVal(Integer.class,
                    "SELECT current_setting('server_version_num')::int"));
            assertThat(conn.serverVersion() / 10000).isEqualTo(TestDb.server().majorVersion());
            assertThat(conn.serverPid()).isEqualTo(conn.fetchVal(Integer.class, "SELECT pg_backend_pid()"));
            assertThat(conn.serverParameters()).containsEntry("client_encoding", "UTF8")
                    .containsKey("TimeZone").containsKey("server_version");
            conn.execute("SET application_name = 'pgloom-test'");
            assertThat(conn.serverParameters()).containsEntry("application_name", "pgloom-test");
            assertThat(conn.isInTransaction()).isFalse();
            conn.execute("BEGIN");
            assertThat(conn.isInTransaction()).isTrue();
            conn.execute("COMMIT");
            assertThat(conn.isInTransaction()).isFalse();
        }
    }

    @Test
    void closeSendsTerminateAndIsIdempotent() throws Exception {
        PgConnection conn = TestDb.connect();
        int pid = conn.serverPid();
        conn.close();
        conn.close();
        assertThat(conn.isClosed()).isTrue();
        try (PgConnection admin = TestDb.admin()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            long left;
            do {
                left = admin.fetchVal(Long.class, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid);
            } while (left > 0 && System.nanoTime() < deadline);
            assertThat(left).isZero();
        }
    }

    @Test
    void applicationNameAndServerSettingsAtStartup() {
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder().applicationName("shop-api")
                .serverSetting("search_path", "pg_catalog").serverSetting("TimeZone", "Asia/Tokyo").build())) {
            assertThat(conn.fetchVal(String.class, "SELECT current_setting('application_name')")).isEqualTo("shop-api");
            assertThat(conn.fetchVal(String.class, "SHOW search_path")).isEqualTo("pg_catalog");
            assertThat(conn.serverParameters()).containsEntry("TimeZone", "Asia/Tokyo");
        }
    }
}
