package io.pgloom.testing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An initdb'ed cluster with the test roles, database pgloom and its extensions already made, kept
 * in the binaries' cache and copied for each new server.
 *
 * <p>initdb and the setup take a few seconds; copying the result takes a fraction of one. The
 * cache key holds a hash of the binaries' folder and of the setup SQL, so a change to either makes
 * a new template, and the name of the user that owns it, since its files are readable by that
 * user only. Like the binaries, a template is made in a temporary folder and renamed into place.
 */
final class ClusterTemplate {

    private static final System.Logger LOG = System.getLogger(ClusterTemplate.class.getName());

    /** The file each server writes its own settings into; the template's postgresql.conf includes it. */
    static final String SERVER_CONF = "pgloom.conf";

    private ClusterTemplate() {
    }

    /** The template's data folder for these binaries, made first if need be. */
    static Path dataFor(PostgresBinaries binaries) {
        String owner = Platform.isRoot() ? Platform.SERVER_USER : System.getProperty("user.name", "user");
        Path target = PostgresBinaries.cacheRoot().resolve("cluster-" + binaries.version() + "-"
                + fingerprint(binaries) + "-" + owner.replaceAll("[^A-Za-z0-9_.-]", "_"));
        Path data = target.resolve("data");
        if (Files.exists(data.resolve("PG_VERSION"))) {
            return data;
        }
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempDirectory(target.getParent(), ".cluster-");
            if (!Platform.isWindows()) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            make(binaries, temp);
            Folders.publish(temp, target);
            return data;
        } catch (IOException e) {
            throw new PgServerException("could not make a template cluster in " + target.getParent()
                    + ": " + e + "; check that it is writable and the disk not full", e);
        } finally {
            Folders.deleteRecursively(temp);
        }
    }

    /** initdb into {@code folder}/data, then start it once to make roles, database and extensions. */
    private static void make(PostgresBinaries binaries, Path folder) throws IOException {
        long started = System.nanoTime();
        Path data = folder.resolve("data");
        Files.createDirectory(data);
        if (!Platform.isWindows()) {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
        Platform.giveToServerUser(data);
        Path log = folder.resolve("setup.log");
        List<String> initdb = List.of(binaries.program("initdb").toString(), "-D", data.toString(),
                "-U", TestUsers.SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        int exit;
        try {
            exit = Processes.run(Platform.asServerUser(initdb, false), log, 300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgServerException("interrupted while running initdb");
        }
        if (exit != 0) {
            throw new PgServerException("initdb failed (exit code " + exit + ") for PostgreSQL "
                    + binaries.version() + " from " + binaries.origin() + "; its output ends with:\n"
                    + PostgresProcess.tail(log, 0) + "\nIf the binaries are damaged, delete "
                    + PostgresBinaries.cacheRoot() + " and try again");
        }
        int port = freePort();
        PostgresProcess server;
        try {
            server = PostgresProcess.start(binaries, data, log, List.of("-c", "listen_addresses=localhost",
                    "-c", "port=" + port, "-c", "unix_socket_directories=", "-c", "fsync=off"));
        } catch (PostgresProcess.StartFailure e) {
            throw new PgServerException("the new template cluster of PostgreSQL " + binaries.version()
                    + " did not start: " + e.getMessage() + "; its log ends with:\n" + e.logTail, e);
        }
        try {
            try (SetupSession session = SetupSession.open(port, TestUsers.SUPERUSER, "postgres")) {
                TestUsers.rolesSql().forEach(session::query);
                session.query("CREATE DATABASE pgloom OWNER pgloom");
            }
            try (SetupSession session = SetupSession.open(port, TestUsers.SUPERUSER, TestUsers.DATABASE)) {
                TestUsers.databaseSql().forEach(session::query);
                List<String> available = session.query("SELECT name FROM pg_available_extensions WHERE name IN ('"
                        + String.join("', '", TestUsers.extensions()) + "')");
                for (String extension : TestUsers.extensions()) {
                    if (available.contains(extension)) {
                        session.query("CREATE EXTENSION " + extension);
                    } else {
                        LOG.log(Level.INFO, "PostgreSQL {0} from {1} does not ship extension {2}; tests that need it will fail",
                                binaries.version(), binaries.origin(), extension);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new PgServerException("setting up the template cluster of PostgreSQL " + binaries.version()
                    + " failed: " + e.getMessage() + "; the server log ends with:\n" + PostgresProcess.tail(log, 0), e);
        } finally {
            server.stop();
        }
        // Each server writes its own port, sockets, TLS files and settings into this file.
        Files.writeString(data.resolve("postgresql.conf"), "\ninclude_if_exists = '" + SERVER_CONF + "'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        LOG.log(Level.INFO, "made template cluster of PostgreSQL {0} in {1} ms", binaries.version(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A port free on both 127.0.0.1 and ::1 right now (listen_addresses=localhost binds both).
     * Another process may take it before the server binds it; callers retry on "address in use".
     */
    static int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket v4 = new ServerSocket()) {
                v4.setReuseAddress(false);
                v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                int port = v4.getLocalPort();
                if (isFree(InetAddress.getByName("::1"), port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new PgServerException("could not find a free TCP port on 127.0.0.1: " + e, e);
            }
        }
        throw new PgServerException("could not find a TCP port free on both 127.0.0.1 and ::1");
    }

    /** Whether nothing listens on this address and port; an address the machine lacks counts as free. */
    static boolean isFree(InetAddress address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(address, port));
            return true;
        } catch (java.net.BindException e) {
            return e.getMessage() == null || !e.getMessage().contains("in use");
        } catch (IOException e) {
            return true;
        }
    }

    private static String fingerprint(PostgresBinaries binaries) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(binaries.bin().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            for (List<String> part : List.of(TestUsers.rolesSql(), TestUsers.databaseSql(), TestUsers.extensions())) {
                digest.update(String.join(";", part).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
