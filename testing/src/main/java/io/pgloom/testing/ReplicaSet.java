package io.pgloom.testing;

import io.pgloom.PgConnection;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * A primary and its streaming replicas (hot standbys) on loopback, from the same binaries, for
 * tests of multi-host connection strings, {@code target_session_attrs} and failover.
 *
 * <pre>{@code
 * try (ReplicaSet set = ReplicaSet.builder().standbys(1).synchronous(true).build().start()) {
 *     String uri = set.uri("pgloom", "pgloom", "target_session_attrs=read-write");
 *     PgServer old = set.primary();
 *     PgServer standby = set.standbys().get(0);
 *     set.kill(old);                      // SIGKILL: a crash, not a shutdown
 *     set.promote(standby);               // pg_promote(); set.primary() is now the standby
 *     set.rejoinAsStandby(old);           // the old primary follows the new one
 * }                                       // every server stopped, folders deleted
 * }</pre>
 *
 * <h2>How a standby is made</h2>
 * The zonky binaries ship no {@code pg_basebackup}, so a standby is cloned the way it works
 * underneath: an online backup ({@code pg_backup_start}/{@code pg_backup_stop}, or the PostgreSQL
 * 14 names) while the source keeps running, its files copied into the standby's folder, the
 * {@code backup_label} that {@code pg_backup_stop} returns written beside them, plus
 * {@code standby.signal} and a {@code primary_conninfo}. The standby keeps its own port, TLS
 * files, pg_hba.conf and log. The source keeps {@code wal_keep_size} of WAL so that the standby
 * finds what was written during the copy. {@link #rejoinAsStandby} does the same from the current
 * primary: a fresh clone rather than pg_rewind (also not shipped), which is what an operator does
 * when the old primary's history has diverged.
 *
 * <p>Every server has the roles and settings of a {@link PgServer}, plus a {@code replication}
 * line for the superuser in pg_hba.conf. With {@link Builder#synchronous(boolean)} the first
 * primary waits for one standby to flush each commit ({@code synchronous_standby_names = '*'},
 * {@code synchronous_commit = on}), so that a commit acknowledged before a crash survives the
 * promotion of a standby; a promoted standby runs asynchronously.
 *
 * <p>Thread-safe: operations that change the set are serialized by a lock.
 */
public final class ReplicaSet implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReplicaSet.class.getName());
    private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

    private final String version;
    private final int standbyCount;
    private final boolean synchronous;
    private final Map<String, String> settings;
    private final List<PgServer> servers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile PgServer primary;

    private ReplicaSet(Builder b) {
        this.version = b.version;
        this.standbyCount = b.standbys;
        this.synchronous = b.synchronous;
        this.settings = Map.copyOf(b.settings);
    }

    /** A builder; {@link Builder#build()} then {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the primary, clones each standby from it and waits until every standby streams.
     * On failure everything started is stopped and deleted.
     */
    public ReplicaSet start() {
        lock.lock();
        try {
            if (!servers.isEmpty()) {
                return this;
            }
            long started = System.nanoTime();
            try {
                primary = newServer();
                Replication.allowReplication(primary);
                if (synchronous) {
                    try (PgConnection conn = PgConnection.connect(primary.uri())) {
                        conn.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
                        conn.fetchVal("SELECT pg_reload_conf()");
                    }
                }
                for (int i = 0; i < standbyCount; i++) {
                    PgServer standby = newServer();
                    standby.stop();
                    Replication.allowReplication(standby);
                    Replication.cloneAsStandby(primary, standby, "standby" + (i + 1));
                    standby.start();
                }
                awaitStreaming(primary, standbyCount);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            LOG.log(Level.INFO, "replica set of PostgreSQL {0} ({1} standbys) ready in {2} ms", primary.version(),
                    standbyCount, (System.nanoTime() - started) / 1_000_000);
            return this;
        } finally {
            lock.unlock();
        }
    }

    private PgServer newServer() {
        PgServer.Builder b = PgServer.builder().version(version)
                // Keep WAL for a standby cloned while writes go on, and let a standby retry its
                // primary quickly after a failover instead of the default 5 s.
                .setting("wal_keep_size", "256MB")
                .setting("wal_retrieve_retry_interval", "100ms")
                .setting("hot_standby", "on")
                .setting("synchronous_commit", synchronous ? "on" : "off");
        settings.forEach(b::setting);
        PgServer server = b.build();
        servers.add(server);
        return server.start();
    }

    /** The current primary: the first server, or the standby last {@link #promote promoted}. */
    public PgServer primary() {
        return primary;
    }

    /** The servers other than {@link #primary()}, running or not, in start order. */
    public List<PgServer> standbys() {
        lock.lock();
        try {
            return servers.stream().filter(s -> s != primary).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Every server of the set in start order (primary first), the order {@link #uri} names them. */
    public List<PgServer> servers() {
        lock.lock();
        try {
            return List.copyOf(servers);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A multi-host URI naming every server of the set in start order, without TLS, plus the given
     * {@code key=value} parameters, e.g. {@code uri("pgloom", "pgloom", "target_session_attrs=standby")}.
     */
    public String uri(String user, String password, String... parameters) {
        return uri(servers(), user, password, parameters);
    }

    /** A multi-host URI naming these servers in this order; see {@link #uri(String, String, String...)}. */
    public static String uri(List<PgServer> hosts, String user, String password, String... parameters) {
        String hostList = hosts.stream().map(s -> "localhost:" + s.port()).collect(Collectors.joining(","));
        StringBuilder uri = new StringBuilder("postgresql://").append(ExternalServer.encode(user));
        if (password != null) {
            uri.append(':').append(ExternalServer.encode(password));
        }
        uri.append('@').append(hostList).append('/').append(TestUsers.DATABASE).append("?sslmode=disable");
        for (String p : parameters) {
            uri.append('&').append(p);
        }
        return uri.toString();
    }

    /**
     * Kills a server outright (SIGKILL to the postmaster and its children), as a crash or a lost
     * machine would: clients see their connections reset, nothing is checkpointed.
     */
    public void kill(PgServer server) {
        member(server);
        long pid = server.pid();
        if (pid <= 0) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(postmaster -> {
            List<ProcessHandle> family = new ArrayList<>(postmaster.descendants().toList());
            postmaster.destroyForcibly();
            family.forEach(ProcessHandle::destroyForcibly);
            postmaster.onExit().join();
            family.forEach(p -> p.onExit().join());
        });
        LOG.log(Level.DEBUG, "killed {0}", server);
    }

    /** Stops a server with a fast shutdown, as an operator would; {@link PgServer#start()} brings it back. */
    public void stop(PgServer server) {
        member(server).stop();
    }

    /**
     * Promotes a standby ({@code pg_promote}, waiting until it accepts writes); it becomes
     * {@link #primary()}. The other standbys keep following the old primary until
     * {@link #rejoinAsStandby rejoined}.
     */
    public void promote(PgServer standby) {
        lock.lock();
        try {
            member(standby);
            try (PgConnection conn = PgConnection.connect(standby.uri())) {
                Object promoted = conn.fetchVal("SELECT pg_promote(true, 60)");
                if (!Boolean.TRUE.equals(promoted)) {
                    throw new PgServerException("pg_promote() on " + standby + " did not finish within 60 s");
                }
            }
            primary = standby;
            LOG.log(Level.DEBUG, "promoted {0}", standby);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a server (stopped, killed or running; the old primary, typically) a standby of the
     * current primary: stopped, its data replaced by a fresh clone, started, streaming.
     */
    public void rejoinAsStandby(PgServer server) {
        lock.lock();
        try {
            member(server);
            if (server == primary) {
                throw new PgServerException(server + " is the primary; promote another server first");
            }
            server.stop();
            Replication.cloneAsStandby(primary, server, "standby" + (servers.indexOf(server) + 1));
            server.start();
            awaitStreaming(primary, 1);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code count} standbys stream from {@code source}. */
    private static void awaitStreaming(PgServer source, int count) {
        if (count == 0) {
            return;
        }
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        try (PgConnection conn = PgConnection.connect(source.uri())) {
            while (true) {
                long streaming = conn.fetchVal(Long.class,
                        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
                if (streaming >= count) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new PgServerException(streaming + " of " + count + " standbys stream from " + source
                            + " after " + STREAMING_TIMEOUT.toSeconds() + " s; see the standbys' postgresql.log");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgServerException("interrupted while waiting for standbys to stream");
        }
    }

    /**
     * Waits until every running standby has replayed what the primary has written so far, so
     * that a test can read on a standby what it just wrote on the primary.
     */
    public void awaitReplay() {
        PgServer p = primary;
        String lsn;
        try (PgConnection conn = PgConnection.connect(p.uri())) {
            lsn = String.valueOf(conn.fetchVal("SELECT pg_current_wal_lsn()::text"));
        }
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        for (PgServer standby : standbys()) {
            if (!standby.isRunning()) {
                continue;
            }
            try (PgConnection conn = PgConnection.connect(standby.uri())) {
                while (!Boolean.TRUE.equals(conn.fetchVal(
                        "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn", lsn))) {
                    if (System.nanoTime() > deadline) {
                        throw new PgServerException(standby + " did not replay up to " + lsn + " within "
                                + STREAMING_TIMEOUT.toSeconds() + " s");
                    }
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgServerException("interrupted while waiting for replay");
            }
        }
    }

    private PgServer member(PgServer server) {
        if (!servers.contains(server)) {
            throw new PgServerException(server + " is not a server of this replica set");
        }
        return server;
    }

    /** Stops every server and deletes its folder. */
    @Override
    public void close() {
        lock.lock();
        try {
            RuntimeException first = null;
            for (PgServer server : servers) {
                try {
                    server.close();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            servers.clear();
            if (first != null) {
                throw first;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ReplicaSet[primary " + primary + ", standbys " + standbys() + "]";
    }

    /** Settings of a replica set. Not thread-safe. */
    public static final class Builder {
        private String version = System.getProperty("pg.version", PostgresVersion.DEFAULT);
        private int standbys = 1;
        private boolean synchronous;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** "14", "16", "17", "18" or a full zonky version; default: system property pg.version, else 17. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** How many standbys to clone from the primary (default 1). */
        public Builder standbys(int count) {
            if (count < 0 || count > 8) {
                throw new PgServerException("standbys must be 0 to 8, not " + count);
            }
            this.standbys = count;
            return this;
        }

        /** Whether the first primary's commits wait for a standby (synchronous replication). */
        public Builder synchronous(boolean synchronous) {
            this.synchronous = synchronous;
            return this;
        }

        /** A server setting for every server of the set; wins over pgloom-testing's own. */
        public Builder setting(String name, String value) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new PgServerException("not a PostgreSQL setting name: '" + name + "'");
            }
            settings.put(name, String.valueOf(value));
            return this;
        }

        /** A replica set, not started yet; the version is checked at once. */
        public ReplicaSet build() {
            PostgresVersion.parse(version);
            return new ReplicaSet(this);
        }
    }
}
