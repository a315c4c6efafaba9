package io.pgloom.testing;

import io.pgloom.PgConnection;
import io.pgloom.Row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The file work behind {@link ReplicaSet}: a replication line in pg_hba.conf, and a standby cloned
 * from a running server by an online backup, as pg_basebackup -R would make it.
 */
final class Replication {

    /** Files of the target's own that a clone keeps: its TLS, its access rules, its settings, its log. */
    private static final Set<String> KEPT = Set.of("server.crt", "server.key", "root.crt", "pg_hba.conf",
            "postgresql.conf", ClusterTemplate.SERVER_CONF, "postgresql.log");

    /** Copied by neither pg_basebackup nor us: run-time state of the source, rebuilt at start. */
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal", "postgresql.auto.conf");

    /** Folders whose contents are run-time state: made empty in the clone, as pg_basebackup does. */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

    private Replication() {
    }

    /** Lets the superuser open replication connections over loopback; reloads a running server. */
    static void allowReplication(PgServer server) {
        Path hba = server.dataDirectory().resolve("pg_hba.conf");
        String lines = "\n# added by ReplicaSet: streaming replication for the superuser\n"
                + "host       replication pgloom         127.0.0.1/32   scram-sha-256\n"
                + "host       replication pgloom         ::1/128        scram-sha-256\n";
        try {
            if (!Files.readString(hba).contains("replication pgloom")) {
                Files.writeString(hba, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new PgServerException("could not add replication to " + hba + ": " + e, e);
        }
        if (server.isRunning()) {
            try (PgConnection conn = PgConnection.connect(server.uri())) {
                conn.fetchVal("SELECT pg_reload_conf()");
            }
        }
    }

    /**
     * Replaces the stopped {@code target}'s cluster by an online backup of the running
     * {@code source}, set up to stream from it as a hot standby named {@code name}.
     */
    static void cloneAsStandby(PgServer source, PgServer target, String name) {
        if (target.isRunning()) {
            throw new PgServerException(target + " must be stopped before it is cloned");
        }
        Path from = source.dataDirectory();
        Path to = target.dataDirectory();
        boolean newNames = source.majorVersion() >= 15;
        try (PgConnection conn = PgConnection.connect(source.uri())) {
            clearForClone(to);
            conn.fetchVal(newNames ? "SELECT pg_backup_start('pgloom-replica', true)::text"
                    : "SELECT pg_start_backup('pgloom-replica', true, false)::text");
            Row stop;
            try {
                copyCluster(from, to);
            } finally {
                stop = conn.fetchRow(newNames ? "SELECT labelfile, spcmapfile FROM pg_backup_stop(false)"
                        : "SELECT labelfile, spcmapfile FROM pg_stop_backup(false, false)");
            }
            write(to.resolve("backup_label"), stop.get("labelfile", String.class));
            String map = stop.get("spcmapfile", String.class);
            if (map != null && !map.isEmpty()) {
                write(to.resolve("tablespace_map"), map);
            }
            write(to.resolve("standby.signal"), "");
            write(to.resolve("postgresql.auto.conf"), "# written by ReplicaSet: follow " + source + "\n"
                    + "primary_conninfo = 'host=localhost port=" + source.port() + " user=pgloom password=pgloom"
                    + " application_name=" + name + " sslmode=disable'\n"
                    + "recovery_target_timeline = 'latest'\n");
        } catch (IOException e) {
            throw new PgServerException("could not clone " + source + " into " + to + ": " + e, e);
        }
    }

    /** Deletes everything of a cluster folder but the files the clone keeps. */
    private static void clearForClone(Path data) throws IOException {
        try (Stream<Path> entries = Files.list(data)) {
            for (Path entry : entries.toList()) {
                if (!KEPT.contains(entry.getFileName().toString())) {
                    Folders.deleteRecursively(entry);
                }
            }
        }
    }

    /**
     * Copies a live cluster: files may change or vanish while we read them, which the WAL replayed
     * from the backup's start repairs, as it does for any online backup.
     */
    private static void copyCluster(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = source.relativize(dir);
                Path copy = target.resolve(relative.toString());
                if (!relative.toString().isEmpty()) {
                    Files.createDirectories(copy);
                    Platform.giveToServerUser(copy);
                }
                if (relative.getNameCount() == 1 && EMPTIED.contains(relative.toString())) {
                    if (relative.toString().equals("pg_wal")) {
                        Path status = Files.createDirectories(copy.resolve("archive_status"));
                        Platform.giveToServerUser(status);
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = source.relativize(file);
                String name = relative.toString();
                if (relative.getNameCount() == 1 && (KEPT.contains(name) || SKIPPED.contains(name))) {
                    return FileVisitResult.CONTINUE;
                }
                Path copy = target.resolve(name);
                try {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING,
                            LinkOption.NOFOLLOW_LINKS);
                    Platform.giveToServerUser(copy);
                } catch (NoSuchFileException vanished) {
                    // a temporary file the server removed meanwhile
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Platform.giveToServerUser(file);
    }
}
