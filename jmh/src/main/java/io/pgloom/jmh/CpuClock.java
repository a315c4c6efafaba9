package io.pgloom.jmh;

import io.pgloom.PgConnection;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time spent so far by this JVM (the client) and by the benchmark server's client backends,
 * for reporting CPU per operation beside throughput: the project's benchmarks always report both,
 * since a client can buy throughput with CPU (spinning, extra threads) and a ratio of ops/s alone
 * would hide that.
 *
 * <p>The client's figure is the whole process's CPU time (every thread: the benchmark's, the
 * carriers of its virtual threads, Vert.x's event loop, GC and JIT), from
 * {@code com.sun.management.OperatingSystemMXBean}. The server's is the sum of {@code utime +
 * stime} in {@code /proc/<pid>/stat} over the postmaster's client backends (all its children
 * but the background processes named by their titles, so that the checkpointer or autovacuum
 * does not land on whichever benchmark runs at that moment). It has the kernel's clock-tick
 * resolution (10 ms), fine over a one-second iteration. It is unavailable (NaN) when the server
 * is not on this machine, and for a span in which a backend exited: its last CPU time is gone
 * with it (JMH closes the benchmark's connections before it takes the last iteration's
 * figures, so that iteration has none; the postmaster's reaped-children time did not reliably
 * include the backend by then).
 */
final class CpuClock {

    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Process titles of the server's own processes, which no client's operations drive directly. */
    private static final List<String> BACKGROUND = List.of("checkpointer", "background writer", "walwriter",
            "autovacuum", "logical replication launcher", "io worker", "archiver", "stats collector");

    private static volatile long postmasterPid;

    private CpuClock() {
    }

    /** CPU time of this whole JVM, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU time of each of the server's client backends now, by pid; empty when it cannot be read.
     * Take one before, and pass it to {@link #serverCpuNanosSince} after.
     */
    static Map<Long, Long> serverSnapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        long pid = postmaster();
        if (pid <= 0) {
            return cpu;
        }
        ProcessHandle.of(pid).ifPresent(pm -> pm.children().forEach(child -> {
            long ticks = isClientBackend(child.pid()) ? ticks(child.pid()) : -1;
            if (ticks >= 0) {
                cpu.put(child.pid(), ticks * NANOS_PER_TICK);
            }
        }));
        return cpu;
    }

    /**
     * Server CPU spent since the snapshot {@code before} by the backends alive at its end; a
     * backend new since then counts from zero. A backend that has gone since (a set-up
     * connection closing, a pool retiring one) is left out rather than making the whole figure
     * unknown: it was not one the measured operations ran on for long. NaN when unknown.
     */
    static double serverCpuNanosSince(Map<Long, Long> before) {
        Map<Long, Long> after = serverSnapshot();
        if (before.isEmpty() || after.isEmpty()) {
            return Double.NaN;
        }
        long sum = 0;
        for (var e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** The postmaster's pid, found once from a backend's parent; -1 when the server is not local. */
    private static long postmaster() {
        long pid = postmasterPid;
        if (pid == 0) {
            pid = -1;
            try (PgConnection c = PgConnection.connect(BenchDb.url())) {
                long backend = ((Number) c.fetchVal("SELECT pg_backend_pid()")).longValue();
                pid = ProcessHandle.of(backend).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
            } catch (RuntimeException e) {
                System.err.println("# server CPU unavailable: " + e);
            }
            postmasterPid = pid;
        }
        return pid;
    }

    /**
     * Not one of the server's own background processes (by process title).
     */
    private static boolean isClientBackend(long pid) {
        try {
            String title = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    StandardCharsets.ISO_8859_1);
            return BACKGROUND.stream().noneMatch(title::contains);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** utime + stime of a process; -1 when unreadable. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.ISO_8859_1);
            // Fields after the command name, which is in parentheses and may contain spaces:
            // state(3) ppid(4) ... utime(14) stime(15).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
