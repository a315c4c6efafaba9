package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Servers stop, start, restart and close as promised, side by side. */
class LifecycleTest {

    @Test
    void twoServersRunSideBySideOnTheirOwnPortsAndFolders() throws Exception {
        try (PgServer first = PgServer.builder().build().start();
             PgServer second = PgServer.builder().build().start()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            assertThat(first.dataDirectory()).isNotEqualTo(second.dataDirectory());
            assertThat(first.pid()).isNotEqualTo(second.pid());
            try (SetupSession a = SetupSession.open(first.port(), "trust_user", "pgloom");
                 SetupSession b = SetupSession.open(second.port(), "trust_user", "pgloom")) {
                a.query("CREATE TABLE only_in_first(id int)");
                assertThat(b.query("SELECT count(*) FROM pg_class WHERE relname = 'only_in_first'")).containsExactly("0");
                assertThat(a.query("SELECT count(*) FROM pg_class WHERE relname = 'only_in_first'")).containsExactly("1");
            }
            // each has its own CA
            assertThat(Files.readString(first.caCertificate())).isNotEqualTo(Files.readString(second.caCertificate()));
        }
    }

    @Test
    void restartKeepsPortAndDataAndStopRefusesConnections() throws Exception {
        try (PgServer server = PgServer.builder().build().start()) {
            int port = server.port();
            long pid = server.pid();
            String ca = Files.readString(server.caCertificate());
            try (SetupSession session = SetupSession.open(port, "trust_user", "pgloom")) {
                session.query("CREATE TABLE survives(id int); INSERT INTO survives VALUES (42)");
            }
            server.restart();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.pid()).isNotEqualTo(pid);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(Files.readString(server.caCertificate())).as("clients keep trusting it").isEqualTo(ca);
            try (SetupSession session = SetupSession.open(port, "trust_user", "pgloom")) {
                assertThat(session.query("SELECT id FROM survives")).containsExactly("42");
            }

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> Wire.connect("localhost", port).close()).isInstanceOf(ConnectException.class);
            server.start();
            assertThat(server.isRunning()).isTrue();
            try (SetupSession session = SetupSession.open(port, "trust_user", "pgloom")) {
                assertThat(session.query("SELECT id FROM survives")).containsExactly("42");
            }
        }
    }

    @Test
    void stopEndsOpenSessionsRatherThanWaitingForThem() throws Exception {
        try (PgServer server = PgServer.builder().build().start();
             Wire idle = Wire.connect("localhost", server.port())) {
            idle.startup("trust_user", "pgloom");
            assertThat(idle.readUntilReadyOrError().type()).isEqualTo('Z');
            long started = System.nanoTime();
            server.stop();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
            // The server says goodbye with FATAL 57P01 admin_shutdown, or just closes.
            try {
                Wire.Message last = idle.read();
                assertThat(last.type()).isEqualTo('E');
                assertThat(last.field('C')).isEqualTo("57P01");
            } catch (IOException closed) {
                assertThat(closed).isNotNull();
            }
        }
    }

    @Test
    void closeStopsTheProcessDeletesTheFolderAndIsFinal() throws Exception {
        PgServer server = PgServer.builder().build().start();
        long pid = server.pid();
        var base = server.dataDirectory().getParent();
        assertThat(server.socketDirectory()).exists();
        server.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(base).doesNotExist();
        server.close(); // twice is harmless
        assertThatThrownBy(server::start).isInstanceOf(PgServerException.class).hasMessageContaining("closed");
    }

    @Test
    void sharedIsOneServerThatCloseDoesNotStop() {
        PgServer shared = PgServer.shared();
        assertThat(PgServer.shared()).isSameAs(shared);
        assertThat(PgServer.shared(System.getProperty("pg.version", "17"))).isSameAs(shared);
        shared.close();
        assertThat(shared.isRunning()).isTrue();
        if (!shared.isExternal()) {
            assertThat(shared.uri()).startsWith("postgresql://pgloom:pgloom@localhost:" + shared.port() + "/pgloom");
        }
    }
}
