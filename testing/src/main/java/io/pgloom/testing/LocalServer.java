package io.pgloom.testing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A postmaster run from PostgreSQL binaries on this machine, in a throwaway folder:
 *
 * <pre>
 * /dev/shm/pgloom-XXXX/    (or /tmp/...) short on purpose: a Unix socket path must fit in ~107 bytes
 *   data/                  the cluster (a copy of the template), owned by the server's user;
 *                          postgresql.log, pgloom.conf, pg_hba.conf, server.crt/.key, root.crt
 *   socket/                unix_socket_directories
 *   tls/                   ca.crt, client.crt, client.key for clients
 *   owner.pid              the JVM that made it, so that a later JVM can delete it if that one was killed
 * </pre>
 *
 * <p>Not thread-safe: {@link PgServer} serializes calls.
 */
final class LocalServer implements Backend {

    private static final System.Logger LOG = System.getLogger(LocalServer.class.getName());

    /** Making binaries and templates twice at once in one JVM is only wasted time. */
    private static final ReentrantLock PREPARE = new ReentrantLock();

    private static final int PORT_ATTEMPTS = 5;

    /** Holds the pid of the JVM that made a server folder, so that a later JVM can sweep it up. */
    private static final String OWNER_FILE = "owner.pid";
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private final PostgresBinaries binaries;
    private final Path base;
    private final Path data;
    private final Path socket;
    private final Path tls;
    private final Map<String, String> settings;
    private final boolean portChosen;
    /** A folder the caller chose to keep: not deleted on close, durable, no Unix socket. */
    private final boolean kept;
    private int port;
    private PostgresProcess process;

    private LocalServer(PostgresBinaries binaries, Path base, int port, boolean portChosen, Map<String, String> settings) {
        this(binaries, base, port, portChosen, settings, false);
    }

    private LocalServer(PostgresBinaries binaries, Path base, int port, boolean portChosen, Map<String, String> settings,
                        boolean kept) {
        this.binaries = binaries;
        this.base = base;
        this.kept = kept;
        this.data = base.resolve("data");
        // A chosen folder's path may be too long for a Unix socket (~107 bytes): TCP only there.
        this.socket = Platform.isWindows() || kept ? null : base.resolve("socket");
        this.tls = base.resolve("tls");
        this.port = port;
        this.portChosen = portChosen;
        this.settings = new LinkedHashMap<>(settings);
    }

    /** Finds binaries for the version (throwing when there are none), without making anything. */
    static PostgresBinaries binariesFor(PostgresVersion version) {
        PREPARE.lock();
        try {
            return PostgresBinaries.find(version);
        } finally {
            PREPARE.unlock();
        }
    }

    /**
     * Makes a new server's folder from the template and starts it. On failure, nothing is left
     * running and the folder is gone.
     *
     * @param port 0 for a free port
     */
    static LocalServer create(PostgresBinaries binaries, int port, Map<String, String> settings) {
        if (port != 0) {
            requireFree(port);
        }
        // Making keys takes longer than copying the template the first time in a JVM: overlap them.
        CompletableFuture<TlsMaterial> tls = CompletableFuture.supplyAsync(TlsMaterial::generate);
        Path template;
        PREPARE.lock();
        try {
            template = ClusterTemplate.dataFor(binaries);
        } finally {
            PREPARE.unlock();
        }
        sweepOnce();
        Path base = null;
        try {
            base = Files.createTempDirectory(serverRoot(), "pgloom-");
            Files.writeString(base.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
            LocalServer server = new LocalServer(binaries, base, port, port != 0, settings);
            server.prepare(template, tls);
            server.startFirstTime();
            return server;
        } catch (IOException e) {
            Folders.deleteRecursively(base);
            throw new PgServerException("could not make a server folder in " + serverRoot() + ": " + e
                    + "; check that it is writable and the disk not full", e);
        } catch (RuntimeException e) {
            Folders.deleteRecursively(base);
            throw e;
        }
    }

    /**
     * Starts a server whose data lives in {@code folder} and outlives it: made from the template
     * when the folder holds no cluster yet, else started on the cluster found there (which must be
     * of the same major version). {@link #close()} stops it and keeps the folder.
     */
    static LocalServer openKept(PostgresBinaries binaries, Path folder, int port, Map<String, String> settings) {
        if (port != 0) {
            requireFree(port);
        }
        Path base = folder.toAbsolutePath().normalize();
        Path versionFile = base.resolve("data").resolve("PG_VERSION");
        LocalServer server = new LocalServer(binaries, base, port, port != 0, settings, true);
        try {
            if (Files.exists(versionFile)) {
                String found = Files.readString(versionFile).strip();
                String wanted = binaries.version().split("\\.")[0];
                if (!found.equals(wanted)) {
                    throw new PgServerException("the data folder " + base.resolve("data") + " holds a PostgreSQL " + found
                            + " cluster, but these binaries are " + binaries.version()
                            + ": use version(\"" + found + "\") or another folder");
                }
            } else {
                boolean empty = true;
                if (Files.exists(base)) {
                    try (var entries = Files.list(base)) {
                        empty = entries.findAny().isEmpty();
                    }
                }
                if (!empty) {
                    throw new PgServerException("the data folder " + base + " is not empty and holds no cluster"
                            + " (no data/PG_VERSION): give an empty or new folder");
                }
                CompletableFuture<TlsMaterial> tls = CompletableFuture.supplyAsync(TlsMaterial::generate);
                Path template;
                PREPARE.lock();
                try {
                    template = ClusterTemplate.dataFor(binaries);
                } finally {
                    PREPARE.unlock();
                }
                Files.createDirectories(base);
                server.prepare(template, tls);
            }
        } catch (IOException e) {
            throw new PgServerException("could not prepare the data folder " + base + ": " + e, e);
        }
        server.startFirstTime();
        return server;
    }

    /**
     * Deletes, once per JVM, the server folders that a killed JVM left (its shutdown hook never
     * ran; its server stopped on the parent-death signal): those whose owner JVM and postmaster are
     * both gone. In /dev/shm they would otherwise hold memory until the machine restarts.
     */
    private static void sweepOnce() {
        if (!SWEPT.compareAndSet(false, true)) {
            return;
        }
        try (var folders = Files.newDirectoryStream(serverRoot(), "pgloom-*")) {
            for (Path folder : folders) {
                // A folder without its owner file is being made right now by another JVM.
                if (Files.exists(folder.resolve(OWNER_FILE)) && !isAlive(folder.resolve(OWNER_FILE))
                        && !isAlive(folder.resolve("data").resolve("postmaster.pid"))) {
                    LOG.log(Level.DEBUG, "deleting {0}, left by a JVM that is gone", folder);
                    Folders.deleteRecursively(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not sweep old server folders: " + e);
        }
    }

    /** Whether the pid on the first line of a file is a live process; false for no file. */
    private static boolean isAlive(Path pidFile) {
        try {
            String first = Files.readAllLines(pidFile).get(0).strip();
            return ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Where server folders go: system property {@code pgloom.server.root} if set (tests use it to
     * check that nothing is left behind); else /dev/shm where it is a roomy tmpfs, since copying
     * the template there takes a tenth of the time it takes on disk and a throwaway server loses
     * nothing by living in memory; else /tmp rather than a long java.io.tmpdir, so that socket
     * paths stay short.
     */
    static Path serverRoot() {
        String configured = System.getProperty("pgloom.server.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Platform.isWindows()) {
            return Path.of(System.getProperty("java.io.tmpdir"));
        }
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm) && Files.getFileStore(shm).getUsableSpace() >= (4L << 30)) {
                return shm;
            }
        } catch (IOException e) {
            // no usable /dev/shm: fall through to disk
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        return tmp.toString().length() <= 40 && Files.isDirectory(tmp) ? tmp : Path.of("/tmp");
    }

    private static void requireFree(int port) {
        try {
            for (InetAddress address : List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))) {
                if (!ClusterTemplate.isFree(address, port)) {
                    throw new PgServerException("port " + port + " is already in use on " + address.getHostAddress()
                            + ": stop what listens there, choose another port, or leave port() unset to get a free one");
                }
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("loopback addresses always resolve", e);
        }
    }

    private void prepare(Path template, CompletableFuture<TlsMaterial> keys) throws IOException {
        if (!Platform.isWindows()) {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Folders.copyTree(template, data);
        if (!Platform.isWindows()) {
            // PostgreSQL refuses a data folder that others may read; don't trust the copy for it
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
        if (socket != null) {
            Files.createDirectory(socket);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxr-xr-x"));
            Platform.giveToServerUser(socket);
        }
        TlsMaterial material;
        try {
            material = keys.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Files.createDirectory(tls);
        write(tls.resolve("ca.crt"), material.caCertificate(), "rw-r--r--", false);
        write(tls.resolve("client.crt"), material.clientCertificate(), "rw-r--r--", false);
        // libpq and pgjdbc refuse a client key that others can read
        write(tls.resolve("client.key"), material.clientKey(), "rw-------", false);
        write(data.resolve("server.crt"), material.serverCertificate(), "rw-------", true);
        write(data.resolve("server.key"), material.serverKey(), "rw-------", true);
        write(data.resolve("root.crt"), material.caCertificate(), "rw-------", true);
        write(data.resolve("pg_hba.conf"), TestUsers.hbaConf(socket != null, List.of("127.0.0.1/32", "::1/128")),
                "rw-------", true);
    }

    private static void write(Path file, String text, String mode, boolean forServer) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        if (!Platform.isWindows()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        }
        if (forServer) {
            Platform.giveToServerUser(file);
        }
    }

    /** The first start may retry on a new port when another process took the free one meanwhile. */
    private void startFirstTime() {
        for (int attempt = 1; ; attempt++) {
            if (!portChosen) {
                port = ClusterTemplate.freePort();
            }
            try {
                launch();
                return;
            } catch (PostgresProcess.StartFailure e) {
                if (e.portInUse && !portChosen && attempt < PORT_ATTEMPTS) {
                    LOG.log(Level.DEBUG, "port {0} was taken before postgres bound it; trying another", port);
                    continue;
                }
                throw failure(e);
            }
        }
    }

    private PgServerException failure(PostgresProcess.StartFailure e) {
        String advice = e.portInUse
                ? "port " + port + " is already in use: stop what listens there or choose another port"
                : "see the log above (all of it is in " + data.resolve("postgresql.log") + " until the folder is deleted)";
        return new PgServerException("PostgreSQL " + binaries.version() + " did not start on port " + port + ": "
                + e.getMessage() + "; " + advice + ". Its log ends with:\n" + e.logTail, e);
    }

    private void launch() throws PostgresProcess.StartFailure {
        try {
            writeServerConf();
        } catch (IOException e) {
            throw new PgServerException("could not write " + data.resolve(ClusterTemplate.SERVER_CONF) + ": " + e, e);
        }
        process = PostgresProcess.start(binaries, data, data.resolve("postgresql.log"), List.of());
        LOG.log(Level.DEBUG, "PostgreSQL {0} listens on localhost:{1}, data in {2}", binaries.version(), port, data);
    }

    private void writeServerConf() throws IOException {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listen_addresses", "localhost");
        conf.put("port", String.valueOf(port));
        conf.put("unix_socket_directories", socket == null ? "" : socket.toString());
        // A throwaway server loses nothing worth the cost of durability; a kept one keeps its data.
        conf.put("fsync", kept ? "on" : "off");
        conf.put("synchronous_commit", "off");
        conf.put("full_page_writes", kept ? "on" : "off");
        conf.put("max_connections", "300");
        conf.put("max_prepared_transactions", "10");
        conf.put("ssl", "on");
        conf.put("ssl_cert_file", "server.crt");
        conf.put("ssl_key_file", "server.key");
        conf.put("ssl_ca_file", "root.crt");
        conf.put("password_encryption", "scram-sha-256");
        conf.putAll(settings);
        StringBuilder text = new StringBuilder("# Written by pgloom-testing at each start; later lines win.\n");
        conf.forEach((name, value) -> text.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
        Path file = data.resolve(ClusterTemplate.SERVER_CONF);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Platform.giveToServerUser(file);
    }

    @Override
    public void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            launch();
        } catch (PostgresProcess.StartFailure e) {
            process = null;
            throw failure(e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    @Override
    public void stopImmediately() {
        if (process != null) {
            process.stopImmediately();
            process = null;
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (!kept) {
                Folders.deleteRecursively(base);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The postmaster's process id, for tests that check it is gone. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String version() {
        return binaries.version();
    }

    @Override
    public Path dataDirectory() {
        return data;
    }

    @Override
    public Path socketDirectory() {
        return socket;
    }

    @Override
    public Path tlsDirectory() {
        return tls;
    }
}
