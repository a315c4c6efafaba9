package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A development database: data kept in a chosen folder across close() and a new server. */
class KeptDataFolderTest {

    @Test
    void dataSurvivesCloseAndANewServerOnTheSameFolder(@TempDir Path dir) throws Exception {
        // As root the server runs as an unprivileged user, who must be able to reach the folder.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path folder = dir.resolve("pgdata");
        try (PgServer first = PgServer.builder().dataFolder(folder).build().start()) {
            try (SetupSession s = SetupSession.open(first.port(), "trust_user", "pgloom")) {
                s.query("CREATE TABLE kept(id int); INSERT INTO kept VALUES (7)");
            }
            assertThat(first.dataDirectory()).isEqualTo(folder.toAbsolutePath().resolve("data"));
            assertThat(first.socketDirectory()).isNull();
        }
        assertThat(folder.resolve("data").resolve("PG_VERSION")).exists();
        try (PgServer second = PgServer.builder().dataFolder(folder).build().start()) {
            try (SetupSession s = SetupSession.open(second.port(), "trust_user", "pgloom")) {
                assertThat(s.query("SELECT id FROM kept")).containsExactly("7");
            }
            second.restart();
            try (SetupSession s = SetupSession.open(second.port(), "trust_user", "pgloom")) {
                assertThat(s.query("SELECT id FROM kept")).containsExactly("7");
            }
        }
        assertThat(folder.resolve("data").resolve("PG_VERSION")).exists();
    }

    @Test
    void aFolderWithOtherFilesIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "not a cluster");
        assertThatThrownBy(() -> PgServer.builder().dataFolder(dir).build().start())
                .isInstanceOf(PgServerException.class).hasMessageContaining("not empty");
    }
}
