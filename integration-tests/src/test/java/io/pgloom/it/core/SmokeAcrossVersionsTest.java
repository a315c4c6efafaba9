package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.SslMode;
import io.pgloom.Transaction;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short smoke set on the oldest and newest supported servers, beside the full suite on the
 * default version: connect over TLS with SCRAM, parameters, rows, errors, a transaction.
 */
class SmokeAcrossVersionsTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "18"})
    void basicsWork(String version) {
        PgServer server = PgServer.shared(version);
        ConnectOptions options = ConnectOptions.builder().host("localhost").port(server.port())
                .user("scram_user").password("scram_pw").database("pgloom")
                .sslMode(SslMode.VERIFY_FULL).sslRootCert(server.caCertificate().toString()).build();
        try (PgConnection conn = PgConnection.connect(options)) {
            assertThat(conn.serverVersion() / 10000).isEqualTo(Integer.parseInt(version));
            assertThat(conn.fetchVal("SELECT 2 ^ $1", 10)).isEqualTo(1024.0);
            conn.execute("CREATE TEMP TABLE smoke(id int PRIMARY KEY, born date)");
            try (Transaction tx = conn.transaction()) {
                conn.execute("INSERT INTO smoke VALUES ($1, $2)", 1, LocalDate.of(2000, 1, 1));
                tx.commit();
            }
            assertThat(conn.fetchRow("SELECT * FROM smoke").get("born")).isEqualTo(LocalDate.of(2000, 1, 1));
            assertThat(conn.fetchVal(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isTrue();
        }
        try (PgConnection md5 = PgConnection.connect(server.uri("md5_user", "md5_pw"))) {
            assertThat(md5.fetchVal("SELECT current_user")).isEqualTo("md5_user");
        }
    }
}
