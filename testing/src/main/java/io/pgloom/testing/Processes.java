package io.pgloom.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starting the programs this module runs.
 *
 * <p>Servers are started from one long-lived thread: Linux sends the parent-death signal (which
 * stops a server whose JVM was killed) when the <em>thread</em> that started the process ends, not
 * the JVM, so starting a server from a short-lived test thread or a virtual thread's carrier
 * would stop it too early.
 */
final class Processes {

    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "pgloom-server-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private Processes() {
    }

    /** Starts a process from the launcher thread. */
    static Process start(ProcessBuilder builder) throws IOException {
        try {
            return LAUNCHER.submit(builder::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + builder.command(), e);
        }
    }

    /** Runs a command to its end and returns what it printed, or null when it failed. */
    static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Runs a command to its end, its output going to {@code log}.
     *
     * @return the exit code, or -1 when it ran past the timeout and was killed
     */
    static int run(List<String> command, java.nio.file.Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }
}
