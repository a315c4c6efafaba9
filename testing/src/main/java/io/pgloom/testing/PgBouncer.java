package io.pgloom.testing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real PgBouncer on loopback in front of a {@link PgServer}, for tests of what works through a
 * connection pooler. It runs the machine's {@code pgbouncer} (Debian/Ubuntu: {@code apt-get install
 * pgbouncer}; CI's {@code .ci/run} installs it), as the server's unprivileged user when the JVM is
 * root, in a throwaway folder.
 *
 * <pre>{@code
 * try (PgBouncer bouncer = PgBouncer.builder(PgServer.shared()).poolMode("transaction").poolSize(4).start()) {
 *     ConnectOptions options = ConnectOptions.fromUri(bouncer.uri("pgloom", "pgloom"))
 *             .toBuilder().statementCacheSize(0).build();   // no named statements through it
 * }
 * }</pre>
 *
 * <p>Database {@code pgloom} (and any other name) is routed to the server; users {@code pgloom},
 * {@code scram_user} and {@code md5_user} log in with their test passwords (SCRAM from the client
 * to PgBouncer, and whatever the server asks from PgBouncer to the server). At most
 * {@link Builder#poolSize(int)} server connections per database and user, and at most that many in
 * total per database; up to 2000 clients. Startup parameters PgBouncer does not track
 * ({@code extra_float_digits}, {@code options}, {@code search_path}) are ignored rather than refused.
 *
 * <p>Thread-safe: {@link #close()} may come from any thread.
 */
public final class PgBouncer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PgBouncer.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int PORT_ATTEMPTS = 5;

    private final Path base;
    private final Process process;
    private final int port;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private PgBouncer(Path base, Process process, int port) {
        this.base = base;
        this.process = process;
        this.port = port;
    }

    /** A builder of a PgBouncer in front of this running server. */
    public static Builder builder(PgServer server) {
        return new Builder(server);
    }

    /** The host to connect to: 127.0.0.1 (PgBouncer listens on IPv4 loopback only). */
    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A URI for a user of database pgloom through PgBouncer, without TLS. */
    public String uri(String user, String password) {
        return "postgresql://" + ExternalServer.encode(user) + (password == null ? "" : ":" + ExternalServer.encode(password))
                + "@" + host() + ":" + port + "/" + TestUsers.DATABASE + "?sslmode=disable";
    }

    /** PgBouncer's own log, for failure messages. */
    public Path logFile() {
        return base.resolve("pgbouncer.log");
    }

    /** Stops PgBouncer at once (SIGTERM: clients are dropped) and deletes its folder. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            Folders.deleteRecursively(base);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PgBouncer[127.0.0.1:" + port + "]";
    }

    /** The pgbouncer program: on the PATH, or where Debian puts it. */
    static Optional<Path> program() {
        Optional<Path> onPath = Platform.onPath("pgbouncer");
        if (onPath.isPresent()) {
            return onPath;
        }
        Path debian = Path.of("/usr/sbin/pgbouncer");
        return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
    }

    /** Settings of a PgBouncer. Not thread-safe. */
    public static final class Builder {
        private final PgServer server;
        private String poolMode = "transaction";
        private int poolSize = 4;

        private Builder(PgServer server) {
            this.server = server;
        }

        /** session, transaction (the default) or statement. */
        public Builder poolMode(String mode) {
            if (!List.of("session", "transaction", "statement").contains(mode)) {
                throw new PgServerException("pool mode must be session, transaction or statement, not '" + mode + "'");
            }
            this.poolMode = mode;
            return this;
        }

        /** Server connections per database (default 4). */
        public Builder poolSize(int size) {
            if (size < 1) {
                throw new PgServerException("poolSize must be 1 or more, not " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Starts PgBouncer and waits until it accepts connections.
         *
         * @throws PgServerException when pgbouncer is not installed or does not start
         */
        public PgBouncer start() {
            Path program = program().orElseThrow(() -> new PgServerException(
                    "pgbouncer is not installed: apt-get install pgbouncer (Debian/Ubuntu), brew install pgbouncer"
                            + " (macOS), or put it on the PATH"));
            Path base = null;
            try {
                base = Files.createTempDirectory(LocalServer.serverRoot(), "pgbouncer-");
                if (!Platform.isWindows()) {
                    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
                }
                Platform.giveToServerUser(base);
                write(base.resolve("users.txt"), "\"pgloom\" \"pgloom\"\n\"scram_user\" \"scram_pw\"\n\"md5_user\" \"md5_pw\"\n");
                for (int attempt = 1; ; attempt++) {
                    int port = ClusterTemplate.freePort();
                    write(base.resolve("pgbouncer.ini"), config(base, port));
                    Process process = Processes.start(new ProcessBuilder(Platform.asServerUser(
                            List.of(program.toString(), base.resolve("pgbouncer.ini").toString()), true))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("stdout.log").toFile())));
                    if (awaitListening(process, port)) {
                        LOG.log(Level.DEBUG, "PgBouncer ({0} mode, {1} server connections) on 127.0.0.1:{2} for {3}",
                                poolMode, poolSize, String.valueOf(port), server);
                        return new PgBouncer(base, process, port);
                    }
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    String log = PostgresProcess.tail(base.resolve("pgbouncer.log"), 0) + "\n"
                            + PostgresProcess.tail(base.resolve("stdout.log"), 0);
                    if (!log.contains("Address already in use") || attempt >= PORT_ATTEMPTS) {
                        throw new PgServerException("pgbouncer did not start on port " + port + "; its log ends with:\n" + log);
                    }
                }
            } catch (IOException e) {
                Folders.deleteRecursively(base);
                throw new PgServerException("could not start pgbouncer: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Folders.deleteRecursively(base);
                throw new PgServerException("interrupted while starting pgbouncer");
            } catch (RuntimeException e) {
                Folders.deleteRecursively(base);
                throw e;
            }
        }

        private String config(Path base, int port) {
            String target = "host=127.0.0.1 port=" + server.port();
            List<String> lines = new ArrayList<>();
            lines.add(";; written by pgloom-testing");
            lines.add("[databases]");
            lines.add("* = " + target);
            lines.add("[pgbouncer]");
            lines.add("listen_addr = 127.0.0.1");
            lines.add("listen_port = " + port);
            lines.add("unix_socket_dir =");
            lines.add("auth_type = scram-sha-256");
            lines.add("auth_file = " + base.resolve("users.txt"));
            lines.add("pool_mode = " + poolMode);
            lines.add("default_pool_size = " + poolSize);
            lines.add("max_db_connections = " + poolSize);
            lines.add("min_pool_size = 0");
            lines.add("reserve_pool_size = 0");
            lines.add("max_client_conn = 2000");
            lines.add("ignore_startup_parameters = extra_float_digits,options,search_path");
            lines.add("logfile = " + base.resolve("pgbouncer.log"));
            lines.add("log_connections = 0");
            lines.add("log_disconnections = 0");
            lines.add("admin_users = pgloom");
            return String.join("\n", lines) + "\n";
        }

        /** Waits until a TCP connect succeeds; false when the process died first. */
        private static boolean awaitListening(Process process, int port) throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return false;
                }
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException notYet) {
                    Thread.sleep(10);
                }
            }
            return false;
        }

        private static void write(Path file, String text) throws IOException {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            if (!Platform.isWindows()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Platform.giveToServerUser(file);
        }
    }
}
