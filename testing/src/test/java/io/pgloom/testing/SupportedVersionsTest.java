package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each supported major starts, answers plain and TLS startups, and leaves nothing when closed. */
class SupportedVersionsTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "16", "17", "18"})
    void startsAnswersAndCleansUp(String major) throws Exception {
        long pid;
        Path base;
        try (PgServer server = PgServer.builder().version(major).build().start()) {
            assertThat(server.isExternal()).isFalse();
            assertThat(server.majorVersion()).isEqualTo(Integer.parseInt(major));
            assertThat(server.version()).startsWith(major + ".");
            pid = server.pid();
            base = server.dataDirectory().getParent();
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            // A plain startup as trust_user: AuthenticationOk, then the session's parameters, then ReadyForQuery.
            try (Wire wire = Wire.connect(server.host(), server.port())) {
                wire.startup("trust_user", "pgloom");
                Wire.Message auth = wire.read();
                assertThat(auth.type()).isEqualTo('R');
                assertThat(auth.int32(0)).isZero();
                Wire.Message last = wire.readUntilReadyOrError();
                assertThat(last.type()).isEqualTo('Z');
                assertThat((char) last.body()[0]).isEqualTo('I');
            }

            // SSLRequest is accepted and the handshake verifies against our CA and the name localhost.
            try (Wire wire = Wire.connect(server.host(), server.port())) {
                assertThat(wire.sslRequest()).isEqualTo('S');
                wire.startTls("localhost", server.caCertificate(), null, null);
                wire.startup("trust_user", "pgloom");
                assertThat(wire.read().int32(0)).isZero();
                assertThat(wire.readUntilReadyOrError().type()).isEqualTo('Z');
            }

            try (SetupSession session = SetupSession.open(server.port(), "trust_user", "pgloom")) {
                assertThat(session.query("SELECT extname FROM pg_extension")).contains("hstore", "citext");
                assertThat(session.query("SHOW max_prepared_transactions")).containsExactly("10");
                assertThat(session.query("SHOW server_version").get(0)).startsWith(major + ".");
            }
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(base)).isFalse();
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContain(pid);
    }
}
