package io.pgloom.examples;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's command line as a first-time user meets it: help, a busy port, a wrong argument. */
class PowerDemoCommandLineTest {

    /** Runs the demo in its own JVM; returns exit code, stdout and stderr. */
    private static String[] run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.javaExecutable(), "-cp", System.getProperty("java.class.path"), PowerDemo.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the demo did not exit within 60 s for " + List.of(args));
        }
        return new String[]{String.valueOf(p.exitValue()),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    private static final class Path {
        static String javaExecutable() {
            return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        }
    }

    @Test
    void helpPrintsUsageAndExits() throws Exception {
        String[] r = run("--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("usage: PowerDemo").contains("--port N").contains("--self-test");
        assertThat(r[1]).doesNotContain("starting a throwaway PostgreSQL");   // nothing was started
    }

    @Test
    void aBusyPortIsOneClearLineNamingThePortAndTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String[] r = run("--port", String.valueOf(taken.getLocalPort()));
            assertThat(r[0]).isEqualTo("1");
            assertThat(r[2].strip()).isEqualTo("Port " + taken.getLocalPort()
                    + " is already in use: stop what listens there or pick another with --port N");
            assertThat(r[1]).doesNotContain("starting a throwaway PostgreSQL");
        }
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage() throws Exception {
        String[] r = run("--bogus");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("unknown argument: --bogus").contains("usage: PowerDemo");
    }
}
