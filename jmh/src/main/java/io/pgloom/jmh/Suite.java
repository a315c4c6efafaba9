package io.pgloom.jmh;

import io.pgloom.testing.PgServer;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the whole suite: starts one PostgreSQL 17 (fsync and synchronous_commit off), loads it,
 * runs W1–W4, W6 and W8 (and W2's allocation, through {@code -prof gc}) under JMH with the server's URI passed to
 * every fork, runs W5 in a fresh JVM per client, and prints the markdown table ({@link Table})
 * from JMH's JSON results, with client and server CPU per operation ({@link CpuPerOp}) beside
 * every score.
 *
 * <p>JMH runs in rounds: each round runs every benchmark once (one fork, short iterations), and
 * the table pools the iterations of all rounds. On two cores shared with the server, and with
 * whatever else the machine is doing, load comes in bursts; rounds spread each burst over all
 * the clients instead of charging it to whichever one was running.
 *
 * <pre>
 * java -jar jmh/target/benchmarks.jar [options]
 *   --quick            shorter iterations, for trying the suite out (the figures are rough)
 *   --rounds N         times JMH runs every benchmark, interleaved (default 3)
 *   --forks N          JMH forks per benchmark in each round (default 1)
 *   --include REGEX    only the JMH benchmarks matching REGEX (default: all)
 *   --no-w5            skip W5
 *   --tls-include REGEX  the JMH benchmarks run a second time with TLS (sslmode=require) in each
 *                      round (default: W1, W2 and W3, or --include's REGEX when that is given)
 *   --no-tls           no TLS pass, and W5 without TLS only
 *   --w5-window S      W5's measured window in seconds (default 10), after a 10 s warm-up
 *   --pin              run the client JVMs on CPU 0 and the server on the other CPUs (taskset)
 *   --jvm-arg ARG      one more JVM option for the forks and W5 (repeatable), e.g. -Djdk.pollerMode=2
 *   --out DIR          where the JSON result and the table go (default jmh/target/results)
 * </pre>
 */
public final class Suite {

    /**
     * W5's warm-up: a thousand threads on one pinned core take this long to get every client's hot
     * path compiled; with 3 s the window itself was still ramping (slices rising 2k to 13k/s).
     */
    static final int W5_WARMUP_SECONDS = 10;

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean w5 = true;
        boolean pin = false;
        int forks = 1;
        int rounds = 3;
        int w5Window = 10;
        String include = "io\\.pgloom\\.jmh\\.W[1-468].*";
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
        Path out = Path.of("jmh/target/results");
        boolean tls = true;
        String tlsInclude = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--include" -> include = args[++i];
                case "--no-w5" -> w5 = false;
                case "--tls-include" -> tlsInclude = args[++i];
                case "--no-tls" -> tls = false;
                case "--w5-window" -> w5Window = Integer.parseInt(args[++i]);
                case "--pin" -> pin = true;
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the Javadoc of " + Suite.class.getName());
            }
        }
        if (tlsInclude == null) {
            tlsInclude = Arrays.asList(args).contains("--include") ? include : "io\\.pgloom\\.jmh\\.W[1-3][A-Z].*";
        }
        Files.createDirectories(out);
        long began = System.nanoTime();
        try (PgServer server = BenchDb.startServer()) {
            BenchDb.load(server.uri());
            System.out.println("# server: PostgreSQL " + server.version() + " at " + server.host() + ":" + server.port());
            List<String> launcher = List.of();
            if (pin) {
                pinServer(server);
                launcher = List.of("taskset", "-c", "0");
            }
            jvmArgs.add("-D" + BenchDb.URL_PROPERTY + "=" + server.uri());
            // The same server, its clients over TLS: sslmode=require (encrypted, certificate not checked).
            List<String> tlsJvmArgs = new ArrayList<>(jvmArgs);
            tlsJvmArgs.add("-D" + BenchDb.SSLMODE_PROPERTY + "=require");
            List<String> jsons = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (boolean overTls : tls ? List.of(false, true) : List.of(false)) {
                    String pass = overTls ? tlsInclude : include;
                    if (pass.isEmpty()) {
                        continue;
                    }
                    Path json = out.resolve("jmh-" + round + (overTls ? "-tls" : "") + ".json");
                    System.out.println("# JMH round " + round + " of " + rounds + (overTls ? ", over TLS" : ""));
                    ChainedOptionsBuilder jmh = new OptionsBuilder()
                            .include(pass)
                            .forks(forks)
                            .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                            .measurementIterations(quick ? 2 : 3).measurementTime(TimeValue.seconds(1))
                            .addProfiler(GCProfiler.class)
                            .addProfiler(CpuPerOp.class)
                            .addProfiler(PeakHeap.class)
                            .jvmArgsAppend((overTls ? tlsJvmArgs : jvmArgs).toArray(String[]::new))
                            .resultFormat(ResultFormatType.JSON).result(json.toString());
                    if (pin) {
                        jmh.jvm(pinnedJava(out).toString());
                    }
                    new Runner(jmh.build()).run();
                    jsons.add(Files.readString(json));
                }
            }
            List<W5PoolLoad.Result> w5Results = new ArrayList<>();
            List<W5PoolLoad.Result> w5TlsResults = new ArrayList<>();
            if (w5) {
                for (String client : List.of("pgloom", "hikari", "vertx")) {
                    w5Results.add(runW5(client, launcher, jvmArgs, quick ? 2 : W5_WARMUP_SECONDS, quick ? 4 : w5Window));
                }
                for (String client : tls ? List.of("pgloom", "hikari", "vertx") : List.<String>of()) {
                    System.out.println("# W5 over TLS:");
                    w5TlsResults.add(runW5(client, launcher, tlsJvmArgs, quick ? 2 : W5_WARMUP_SECONDS, quick ? 4 : w5Window));
                }
            }
            String table = Table.render(jsons, w5Results, w5TlsResults);
            String header = "Run of " + java.time.LocalDate.now() + ": JDK " + Runtime.version() + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs seen by the runner, PostgreSQL "
                    + server.version() + (pin ? ", client on CPU 0 and server on the rest" : ", unpinned")
                    + (quick ? ", QUICK (rough) iterations" : "") + ", " + rounds + " rounds of " + forks + " fork"
                    + (jvmArgs.size() > 3 ? ", JVM options " + jvmArgs.subList(2, jvmArgs.size() - 1) : "")
                    + ", " + (System.nanoTime() - began) / 60_000_000_000L + " min\n\n";
            Files.writeString(out.resolve("table.md"), header + table);
            System.out.println();
            System.out.println(header + table);
        }
    }

    /** Pins the postmaster and every process it started (and will start) to CPUs 1.. */
    private static void pinServer(PgServer server) throws IOException, InterruptedException {
        int cpus = Runtime.getRuntime().availableProcessors();
        String list = cpus > 2 ? "1-" + (cpus - 1) : "1";
        long pid = Long.parseLong(Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.children().forEach(c -> pids.add(c.pid())));
        for (long p : pids) {
            new ProcessBuilder("taskset", "-a", "-p", "-c", list, String.valueOf(p)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        System.out.println("# pinned the server (" + pids.size() + " processes) to CPU " + list + "; clients run on CPU 0");
    }

    /** A java launcher that runs on CPU 0 only, for JMH's forks. */
    private static Path pinnedJava(Path dir) throws IOException {
        Path script = dir.resolve("java-on-cpu0.sh");
        Files.writeString(script, "#!/bin/sh\nexec taskset -c 0 '" + javaExecutable() + "' \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static W5PoolLoad.Result runW5(String client, List<String> launcher, List<String> jvmArgs, int warmup,
                                           int window) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), W5PoolLoad.class.getName(),
                client, "1000", "16", String.valueOf(warmup), String.valueOf(window)));
        System.out.println("# W5 " + client + ": 1000 virtual threads, pool of 16, " + warmup + " s warm-up, "
                + window + " s window");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("  " + line);
                if (line.startsWith("W5RESULT")) {
                    result = line;
                }
            }
        }
        p.waitFor();
        if (result == null) {
            throw new IllegalStateException("W5 " + client + " printed no result (exit " + p.exitValue() + ")");
        }
        return W5PoolLoad.Result.parse(result);
    }
}
