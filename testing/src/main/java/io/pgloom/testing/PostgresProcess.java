package io.pgloom.testing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running postmaster: started as the server's user, known ready when its postmaster.pid says
 * so, stopped with a fast shutdown (clients are disconnected, not waited for) or an immediate one.
 */
final class PostgresProcess {

    private static final System.Logger LOG = System.getLogger(PostgresProcess.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Why a postmaster did not come up: the tail of its log, and whether its port was taken. */
    static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String logTail;
        final boolean portInUse;

        StartFailure(String reason, String logTail) {
            super(reason);
            this.logTail = logTail;
            this.portInUse = logTail.contains("Address already in use")
                    || logTail.contains("could not create any TCP/IP sockets");
        }
    }

    private final PostgresBinaries binaries;
    private final Path data;
    private final Process process;
    private final ProcessHandle postmaster;

    private PostgresProcess(PostgresBinaries binaries, Path data, Process process, ProcessHandle postmaster) {
        this.binaries = binaries;
        this.data = data;
        this.process = process;
        this.postmaster = postmaster;
    }

    /**
     * Starts {@code postgres -D data} with the given extra arguments, its output appended to
     * {@code log}, and waits until it accepts connections. On failure nothing is left running.
     */
    static PostgresProcess start(PostgresBinaries binaries, Path data, Path log, List<String> args)
            throws StartFailure {
        List<String> command = new ArrayList<>();
        command.add(binaries.program("postgres").toString());
        command.add("-D");
        command.add(data.toString());
        command.addAll(args);
        Process process;
        long logStart;
        try {
            logStart = Files.exists(log) ? Files.size(log) : 0;
            process = Processes.start(new ProcessBuilder(Platform.asServerUser(command, true))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        } catch (IOException e) {
            throw new StartFailure("could not run " + command.get(0) + ": " + e, "");
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (true) {
                Long pid = readyPid(data.resolve("postmaster.pid"));
                if (pid != null && process.isAlive()) {
                    ProcessHandle handle = ProcessHandle.of(pid).orElse(process.toHandle());
                    LOG.log(Level.DEBUG, "postgres {0} ready in {1} (pid {2})", binaries.version(), data, pid);
                    return new PostgresProcess(binaries, data, process, handle);
                }
                if (!process.isAlive()) {
                    throw new StartFailure("postgres exited with code " + process.exitValue(), tail(log, logStart));
                }
                if (System.nanoTime() > deadline) {
                    throw new StartFailure("postgres did not become ready within " + START_TIMEOUT.toSeconds()
                            + " s", tail(log, logStart));
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            throw new StartFailure("interrupted while waiting for postgres to start", tail(log, logStart));
        } catch (StartFailure e) {
            kill(process);
            throw e;
        }
    }

    /** The postmaster's pid once postmaster.pid's status line says "ready", else null. */
    private static Long readyPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            // Line 8 is the status: "starting", "stopping", "ready" or "standby".
            if (lines.size() >= 8 && lines.get(7).strip().equals("ready")) {
                return Long.parseLong(lines.get(0).strip());
            }
        } catch (IOException | NumberFormatException notYet) {
            // not written yet, or written halfway
        }
        return null;
    }

    long pid() {
        return postmaster.pid();
    }

    boolean isAlive() {
        return postmaster.isAlive();
    }

    /** A fast shutdown: ends sessions, checkpoints, exits; forced when it takes too long. */
    void stop() {
        stop("fast", "-INT");
    }

    /**
     * An immediate shutdown ({@code pg_ctl stop -m immediate}): every process quits at once, without
     * a checkpoint, as after a crash; the next start runs crash recovery.
     */
    void stopImmediately() {
        stop("immediate", "-QUIT");
    }

    /** Sends the postmaster the shutdown of {@code mode} (the signal pg_ctl sends for it) and waits. */
    private void stop(String mode, String signalOption) {
        if (postmaster.isAlive()) {
            List<String> signal = Platform.isWindows()
                    ? List.of(binaries.program("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", mode, "-w")
                    : List.of("kill", signalOption, String.valueOf(postmaster.pid()));
            if (Processes.output(signal) == null) {
                LOG.log(Level.WARNING, "could not ask postgres (pid {0}) to stop; killing it", postmaster.pid());
            }
        }
        try {
            postmaster.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.WARNING, "postgres (pid {0}) did not stop in time; killing it", postmaster.pid());
        }
        kill(process);
        if (postmaster.isAlive()) {
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        }
    }

    /** Kills a process and everything it started, and waits for them. */
    private static void kill(Process process) {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
            process.destroyForcibly();
            family.forEach(ProcessHandle::destroyForcibly);
            family.forEach(p -> p.onExit().join());
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log written since {@code from}, for failure messages. */
    static String tail(Path log, long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
