package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The password file: format, matching, escapes, where it is found, and its permissions. */
class PgPassTest {

    @TempDir
    Path home;

    // ---- format and matching ----

    @Test
    void exactMatch() {
        PgPass p = PgPass.parse("db.example.com:5432:shop:app:s3cret\n");
        assertThat(p.password("db.example.com", 5432, "shop", "app")).isEqualTo("s3cret");
        assertThat(p.password("db.example.com", 5433, "shop", "app")).isNull();
        assertThat(p.password("other", 5432, "shop", "app")).isNull();
        assertThat(p.password("db.example.com", 5432, "other", "app")).isNull();
        assertThat(p.password("db.example.com", 5432, "shop", "other")).isNull();
    }

    @Test
    void wildcardsMatchAnything() {
        PgPass p = PgPass.parse("*:*:*:app:any\n");
        assertThat(p.password("h1", 1, "d1", "app")).isEqualTo("any");
        assertThat(p.password("h2", 65535, "d2", "app")).isEqualTo("any");
        assertThat(p.password("h2", 65535, "d2", "bob")).isNull();
    }

    @Test
    void firstMatchWins() {
        PgPass p = PgPass.parse("""
                h:5432:shop:app:first
                *:*:*:*:fallback
                h:5432:shop:app:never
                """);
        assertThat(p.password("h", 5432, "shop", "app")).isEqualTo("first");
        assertThat(p.password("x", 1, "y", "z")).isEqualTo("fallback");
    }

    @Test
    void commentsBlankLinesAndShortLinesAreSkipped() {
        PgPass p = PgPass.parse("""
                # *:*:*:*:commented

                h:5432:shop
                h:5432:shop:app
                h:5432:shop:app:real
                """);
        assertThat(p.password("h", 5432, "shop", "app")).isEqualTo("real");
    }

    @Test
    void hashAfterLineStartIsNotAComment() {
        assertThat(PgPass.parse("h:5432:d:u:pa#ss\n").password("h", 5432, "d", "u")).isEqualTo("pa#ss");
    }

    @Test
    void escapedColonAndBackslash() {
        PgPass p = PgPass.parse("my\\:host:5432:d\\\\b:u:pa\\:ss\\\\word\n");
        assertThat(p.password("my:host", 5432, "d\\b", "u")).isEqualTo("pa:ss\\word");
    }

    @Test
    void escapedStarIsALiteralStar() {
        PgPass p = PgPass.parse("h:5432:\\*:u:literal\n");
        assertThat(p.password("h", 5432, "*", "u")).isEqualTo("literal");
        assertThat(p.password("h", 5432, "shop", "u")).isNull();
    }

    @Test
    void starInsideAFieldIsLiteral() {
        PgPass p = PgPass.parse("h*:5432:d:u:pw\n");
        assertThat(p.password("h*", 5432, "d", "u")).isEqualTo("pw");
        assertThat(p.password("hx", 5432, "d", "u")).isNull();
    }

    @Test
    void passwordEndsAtAnUnescapedColon() {
        assertThat(PgPass.parse("h:5432:d:u:pw:ignored\n").password("h", 5432, "d", "u")).isEqualTo("pw");
    }

    @Test
    void passwordOfStarIsAPassword() {
        assertThat(PgPass.parse("h:5432:d:u:*\n").password("h", 5432, "d", "u")).isEqualTo("*");
    }

    @Test
    void windowsLineEndings() {
        assertThat(PgPass.parse("h:5432:d:u:pw\r\n").password("h", 5432, "d", "u")).isEqualTo("pw");
    }

    @Test
    void lastLineWithoutNewline() {
        assertThat(PgPass.parse("h:5432:d:u:pw").password("h", 5432, "d", "u")).isEqualTo("pw");
    }

    @Test
    void emptyPasswordCountsAsNone() {
        assertThat(PgPass.parse("h:5432:d:u:\n").password("h", 5432, "d", "u")).isNull();
    }

    @Test
    void unixSocketMatchesLocalhostAndItsOwnPath() {
        PgPass byName = PgPass.parse("localhost:5432:d:u:local\n");
        assertThat(byName.password("/var/run/postgresql", 5432, "d", "u")).isEqualTo("local");
        PgPass byPath = PgPass.parse("/tmp:5432:d:u:tmp\n");
        assertThat(byPath.password("/tmp", 5432, "d", "u")).isEqualTo("tmp");
        assertThat(byPath.password("/var/run/postgresql", 5432, "d", "u")).isNull();
    }

    @Test
    void tcpLocalhostDoesNotMatchASocketPathLine() {
        assertThat(PgPass.parse("/tmp:5432:d:u:tmp\n").password("localhost", 5432, "d", "u")).isNull();
    }

    // ---- files ----

    private Path write(Path file, String content, String permissions) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void privateFileIsRead() throws IOException {
        Path file = write(home.resolve("pw"), "h:5432:d:u:pw\n", "rw-------");
        assertThat(PgPass.load(file).password("h", 5432, "d", "u")).isEqualTo("pw");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void readOnlyOwnerFileIsRead() throws IOException {
        Path file = write(home.resolve("pw"), "h:5432:d:u:pw\n", "r--------");
        assertThat(PgPass.load(file).password("h", 5432, "d", "u")).isEqualTo("pw");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void groupReadableFileIsIgnored() throws IOException {
        Path file = write(home.resolve("pw"), "h:5432:d:u:pw\n", "rw-r-----");
        assertThat(PgPass.load(file).password("h", 5432, "d", "u")).isNull();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void worldReadableFileIsIgnored() throws IOException {
        Path file = write(home.resolve("pw"), "h:5432:d:u:pw\n", "rw----r--");
        assertThat(PgPass.load(file).password("h", 5432, "d", "u")).isNull();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void groupWritableFileIsIgnored() throws IOException {
        // libpq refuses any group or other access, not only reading.
        Path file = write(home.resolve("pw"), "h:5432:d:u:pw\n", "rw--w----");
        assertThat(PgPass.load(file).password("h", 5432, "d", "u")).isNull();
    }

    @Test
    void missingFileIsEmpty() {
        assertThat(PgPass.load(home.resolve("nope")).password("h", 5432, "d", "u")).isNull();
    }

    @Test
    void directoryIsIgnored() throws IOException {
        Path dir = Files.createDirectory(home.resolve("dir"));
        assertThat(PgPass.load(dir).password("h", 5432, "d", "u")).isNull();
    }

    // ---- through ConnInfo.parse ----

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void homePgpassGivesThePasswordWhenNoneIsGiven() throws IOException {
        write(home.resolve(".pgpass"), "db:5432:shop:app:fromfile\n", "rw-------");
        ConnectOptions o = ConnInfo.parse("postgresql://app@db/shop", Map.of(), home);
        assertThat(o.password()).isEqualTo("fromfile");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void explicitPasswordBeatsTheFile() throws IOException {
        write(home.resolve(".pgpass"), "*:*:*:*:fromfile\n", "rw-------");
        assertThat(ConnInfo.parse("postgresql://app:given@db/shop", Map.of(), home).password()).isEqualTo("given");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void environmentPasswordBeatsTheFile() throws IOException {
        write(home.resolve(".pgpass"), "*:*:*:*:fromfile\n", "rw-------");
        assertThat(ConnInfo.parse("host=db", Map.of("PGPASSWORD", "env"), home).password()).isEqualTo("env");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void pgpassfileVariableBeatsHome() throws IOException {
        write(home.resolve(".pgpass"), "*:*:*:*:home\n", "rw-------");
        Path other = write(home.resolve("other"), "*:*:*:*:other\n", "rw-------");
        assertThat(ConnInfo.parse("host=db", Map.of("PGPASSFILE", other.toString()), home).password())
                .isEqualTo("other");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void passfileKeyBeatsVariable() throws IOException {
        Path env = write(home.resolve("env"), "*:*:*:*:env\n", "rw-------");
        Path key = write(home.resolve("key"), "*:*:*:*:key\n", "rw-------");
        assertThat(ConnInfo.parse("host=db passfile=" + key, Map.of("PGPASSFILE", env.toString()), home).password())
                .isEqualTo("key");
        assertThat(ConnInfo.parse("postgresql://db?passfile=" + key, Map.of(), home).password()).isEqualTo("key");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void matchingUsesResolvedUserDatabaseAndPort() throws IOException {
        write(home.resolve(".pgpass"), """
                db:6000:envdb:envuser:right
                *:*:*:*:wrong
                """, "rw-------");
        Map<String, String> env = Map.of("PGPORT", "6000", "PGDATABASE", "envdb", "PGUSER", "envuser");
        assertThat(ConnInfo.parse("host=db", env, home).password()).isEqualTo("right");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void databaseDefaultingToUserIsMatched() throws IOException {
        write(home.resolve(".pgpass"), "db:5432:app:app:same\n", "rw-------");
        assertThat(ConnInfo.parse("host=db user=app", Map.of(), home).password()).isEqualTo("same");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void defaultHostMatchesLocalhost() throws IOException {
        write(home.resolve(".pgpass"), "localhost:5432:d:u:local\n", "rw-------");
        assertThat(ConnInfo.parse("dbname=d user=u", Map.of(), home).password()).isEqualTo("local");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void unixSocketHostMatchesLocalhostLine() throws IOException {
        write(home.resolve(".pgpass"), "localhost:5432:d:u:sock\n", "rw-------");
        assertThat(ConnInfo.parse("postgresql://u@/d?host=/var/run/postgresql", Map.of(), home).password())
                .isEqualTo("sock");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void secondHostsLineIsUsedWhenFirstHostHasNone() throws IOException {
        write(home.resolve(".pgpass"), "b:5433:d:u:forb\n", "rw-------");
        assertThat(ConnInfo.parse("postgresql://u@a:5432,b:5433/d", Map.of(), home).password()).isEqualTo("forb");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void hostNameNotHostaddrIsMatched() throws IOException {
        write(home.resolve(".pgpass"), "db.example.com:5432:d:u:byname\n", "rw-------");
        ConnectOptions o = ConnInfo.parse("host=db.example.com hostaddr=192.0.2.7 dbname=d user=u", Map.of(), home);
        assertThat(o.endpoints().get(0).connectTo()).isEqualTo("192.0.2.7");
        assertThat(o.password()).isEqualTo("byname");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void worldReadableHomeFileGivesNoPassword() throws IOException {
        write(home.resolve(".pgpass"), "*:*:*:*:leaked\n", "rw-r--r--");
        assertThat(ConnInfo.parse("host=db", Map.of(), home).password()).isNull();
    }

    @Test
    void missingPassfileIsNotAnError() {
        assertThat(ConnInfo.parse("host=db passfile=" + home.resolve("absent"), Map.of(), home).password()).isNull();
    }
}
