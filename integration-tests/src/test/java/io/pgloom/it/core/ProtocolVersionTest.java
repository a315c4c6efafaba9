package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.QueryCanceledException;
import io.pgloom.internal.client.ClientConnection;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * pgloom asks every server for protocol 3.2: PostgreSQL 18 agrees (and hands out a 32-byte
 * cancel key), PostgreSQL 17 answers NegotiateProtocolVersion and the session speaks 3.0.
 * Either way a cancel, which carries the key, reaches the right query.
 */
class ProtocolVersionTest {

    @ParameterizedTest(name = "PostgreSQL {0} speaks {1}")
    @CsvSource({"17, 3.0", "18, 3.2"})
    void thirtyTwoWhereTheServerHasItElseThirtyAndCancelWorksWithEitherKey(String version, String protocol) {
        PgServer server = PgServer.shared(version);
        try (PgConnection conn = PgConnection.connect(server.uri())) {
            assertThat(conn.serverVersion() / 10000).isEqualTo(Integer.parseInt(version));
            assertThat(((ClientConnection) conn).protocolVersion()).isEqualTo(protocol);
            assertThat(conn.fetchVal("SELECT 2 ^ $1", 10)).isEqualTo(1024.0);
            assertThatThrownBy(() -> conn.withTimeout(Duration.ofMillis(200)).execute("SELECT pg_sleep(30)"))
                    .isInstanceOf(QueryCanceledException.class);
            assertThat(conn.fetchVal("SELECT 1")).as("usable after the cancel").isEqualTo(1);
        }
    }
}
