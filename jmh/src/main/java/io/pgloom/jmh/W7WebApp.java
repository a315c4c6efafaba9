package io.pgloom.jmh;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.webserver.WebServer;
import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * W7: a web app on virtual threads, the way a new user would write one, with pgloom's pool or
 * pgjdbc + HikariCP behind it (16 connections each; pgloom with default {@link PoolOptions} but
 * the sizes). Two routes: {@code GET /users/{id}} = {@code pool.fetchRow(...)} of W2's row, and
 * {@code GET /power/{n}} = {@code pool.inTransaction(c -> c.fetchVal("SELECT 2 ^ $1", n))}.
 *
 * <p>The app runs in a JVM of its own (Helidon SE 4.5's webserver, or the JDK's HttpServer with
 * a virtual-thread executor); this JVM is the load: 200 virtual threads, each with a keep-alive
 * HTTP/1.1 connection, requesting one route in a loop for a fixed window after a warm-up. For
 * each server, client and route it prints a {@code W7RESULT} line: requests/s, p50/p99 latency,
 * and CPU per request of the app JVM (its process CPU time) and of the PostgreSQL backends that
 * served it ({@code /proc/<pid>/stat} utime + stime of the backends named by the app's
 * application_name; Linux only, at the kernel's clock-tick resolution).
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.W7WebApp [helidon|jdk|both] [callers] [warmupSeconds] [windowSeconds]</pre>
 *
 * <p>Interleaved, as {@link W9Interleaved} does for W9: both apps run at once, and the load goes
 * to one, then the other, in slices ({@code sliceSeconds}), pgloom first in odd cycles and
 * HikariCP first in even ones; each cycle gives one ratio from two slices moments apart, so a
 * machine whose speed drifts over minutes shows as noise in both rather than as a ratio. Between
 * slices the load waits until every request of the last slice is answered. A slice's requests/s
 * counts those that started and ended within it; its CPU per request divides the app's (and its
 * backends') CPU from the slice's start to that drain by every request answered in that time.
 * It prints a line per cycle and means with 99.9% t-intervals (as JMH's error bars):
 *
 * <pre>java -cp benchmarks.jar io.pgloom.jmh.W7WebApp interleaved [helidon|jdk] [users|power|both] [callers] [warm-up cycles] [cycles] [sliceSeconds]</pre>
 *
 * With no {@code -Dpgloom.bench.url}, it starts and loads a server of its own.
 */
public final class W7WebApp {

    private static final String APP_NAME = "pgloom-w7";
    private static final String POWER = "SELECT 2 ^ $1";
    private static final int POOL_SIZE = 16;
    /** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private W7WebApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(args[1], args[2]);
            return;
        }
        if (args.length > 0 && args[0].equals("interleaved")) {
            interleaved(args);
            System.exit(0);
        }
        String servers = args.length > 0 ? args[0] : "helidon";
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        String url = BenchDb.url();
        List<String> lines = new ArrayList<>();
        for (String server : servers.equals("both") ? List.of("helidon", "jdk") : List.of(servers)) {
            for (String client : List.of("pgloom", "hikari")) {
                lines.addAll(runApp(url, server, client, callers, warmup, window));
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
        System.exit(0);
    }

    // ---- the load: this JVM ----

    /** An app JVM, listening on {@code port}. */
    private record AppProcess(Process process, int port) {
        /** Stops the app: it stops when its stdin ends. */
        void stop() throws Exception {
            process.getOutputStream().close();
            process.waitFor();
        }
    }

    /** Starts the app in a fresh JVM and waits until it listens; its output is echoed here. */
    private static AppProcess startApp(String url, String server, String client) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-D" + BenchDb.URL_PROPERTY + "=" + url);
        // For profiling the app (a JFR recording, say); the client's name is substituted for {client}.
        String appJvmArgs = System.getProperty("pgloom.bench.appJvmArgs", "").replace("{client}", server + "-" + client);
        if (!appJvmArgs.isBlank()) {
            command.addAll(Arrays.asList(appJvmArgs.trim().split("\\s+")));
        }
        command.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), W7WebApp.class.getName(),
                "serve", server, client));
        Process app = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        int port = -1;
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("W7LISTENING ")) {
                port = Integer.parseInt(line.substring(12).trim());
                break;
            }
            System.out.println("  app: " + line);
        }
        if (port < 0) {
            throw new IllegalStateException("the " + server + " app with " + client + " did not start");
        }
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> System.out.println("  app: " + l)));
        return new AppProcess(app, port);
    }

    /** Starts the app in a fresh JVM, loads each route in turn, stops it; one W7RESULT line per route. */
    private static List<String> runApp(String url, String server, String client, int callers, int warmup, int window)
            throws Exception {
        AppProcess app = startApp(url, server, client);
        List<String> results = new ArrayList<>();
        try (PgConnection admin = PgConnection.connect(url)) {
            for (String route : List.of("users", "power")) {
                System.out.println("# W7 " + server + " + " + client + ", /" + route + ": " + callers + " callers, "
                        + warmup + " s warm-up, " + window + " s window");
                results.add(load(app.process(), admin, app.port(), server, client, route, callers, warmup, window));
                System.out.println(results.get(results.size() - 1));
            }
        } finally {
            app.stop();
        }
        return results;
    }

    private static List<Integer> backends(PgConnection admin, String client) {
        return admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1", appName(client))
                .stream().map(r -> r.get(0, Integer.class)).toList();
    }

    /** The application_name of one client's connections, so that both apps' backends can be told apart. */
    private static String appName(String client) {
        return APP_NAME + "-" + client;
    }

    private static String load(Process app, PgConnection admin, int port, String server, String client, String route,
                               int callers, int warmupSeconds, int windowSeconds) throws Exception {
        Load load = new Load(port, route, callers);
        load.start();
        Thread.sleep(warmupSeconds * 1000L);
        List<Integer> backends = backends(admin, client);
        long appCpu0 = cpuNanos(app.toHandle());
        long serverTicks0 = backendTicks(backends);
        load.open(windowSeconds);
        Thread.sleep(windowSeconds * 1000L);
        long appCpu = cpuNanos(app.toHandle()) - appCpu0;
        long serverTicks = backendTicks(backends) - serverTicks0;
        load.stop();
        long n = load.completed();
        long[] latencies = load.latencies();
        double perRequestUs = n == 0 ? 0 : appCpu / 1000.0 / n;
        double serverUs = n == 0 ? 0 : serverTicks * (1_000_000.0 / CLOCK_TICKS_PER_SECOND) / n;
        return String.format(Locale.ROOT, "W7RESULT server=%s client=%s route=%s callers=%d window=%d requests=%d"
                        + " rps=%.0f p50us=%d p99us=%d appCpuUsPerReq=%.1f serverCpuUsPerReq=%.1f backends=%d errors=%d",
                server, client, route, callers, windowSeconds, n, (double) n / windowSeconds,
                percentile(latencies, 0.50) / 1000, percentile(latencies, 0.99) / 1000, perRequestUs, serverUs,
                backends.size(), load.errors.sum());
    }

    // ---- interleaved: both apps at once, the load in slices ----

    /** One app's slice: requests/s, CPU µs per request of the app and its backends, its latencies. */
    private record Slice(double rps, double appMicros, double serverMicros, long[] latencies) {
    }

    private static void interleaved(String[] args) throws Exception {
        String server = args.length > 1 ? args[1] : "helidon";
        String routes = args.length > 2 ? args[2] : "both";
        int callers = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int warmupCycles = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int cycles = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        double sliceSeconds = args.length > 6 ? Double.parseDouble(args[6]) : 2.0;
        String url = BenchDb.url();
        AppProcess loom = startApp(url, server, "pgloom");
        AppProcess hikari = startApp(url, server, "hikari");
        List<String> summary = new ArrayList<>();
        try (PgConnection admin = PgConnection.connect(url)) {
            for (String route : routes.equals("both") ? List.of("users", "power") : List.of(routes)) {
                Load loomLoad = new Load(loom.port(), route, callers);
                Load hikariLoad = new Load(hikari.port(), route, callers);
                loomLoad.pause();
                hikariLoad.pause();
                loomLoad.start();
                hikariLoad.start();
                System.out.printf(Locale.ROOT, "# W7I %s /%s: %d callers, %d warm-up cycles, %d cycles of %.1f s slices%n",
                        server, route, callers, warmupCycles, cycles, sliceSeconds);
                List<double[]> rows = new ArrayList<>();
                List<long[]> loomLatencies = new ArrayList<>();
                List<long[]> hikariLatencies = new ArrayList<>();
                for (int c = 0; c < warmupCycles + cycles; c++) {
                    Slice l;
                    Slice h;
                    if (c % 2 == 0) {
                        l = slice(loomLoad, loom, admin, "pgloom", sliceSeconds);
                        h = slice(hikariLoad, hikari, admin, "hikari", sliceSeconds);
                    } else {
                        h = slice(hikariLoad, hikari, admin, "hikari", sliceSeconds);
                        l = slice(loomLoad, loom, admin, "pgloom", sliceSeconds);
                    }
                    if (c < warmupCycles) {
                        continue;
                    }
                    loomLatencies.add(l.latencies());
                    hikariLatencies.add(h.latencies());
                    rows.add(new double[] {l.rps(), h.rps(), l.rps() / h.rps(), l.appMicros(), h.appMicros(),
                            l.serverMicros(), h.serverMicros()});
                    System.out.printf(Locale.ROOT, "cycle %2d: pgloom %,7.0f  hikari %,7.0f req/s  ratio %.3f"
                                    + "  app µs/req %.1f / %.1f  server µs/req %.1f / %.1f%n",
                            c - warmupCycles + 1, l.rps(), h.rps(), l.rps() / h.rps(), l.appMicros(), h.appMicros(),
                            l.serverMicros(), h.serverMicros());
                }
                loomLoad.stop();
                hikariLoad.stop();
                long errors = loomLoad.errors.sum() + hikariLoad.errors.sum();
                String[] labels = {"pgloom req/s", "hikari req/s", "pgloom ÷ hikari", "app µs/req pgloom",
                        "app µs/req hikari", "server µs/req pgloom", "server µs/req hikari"};
                summary.add(String.format(Locale.ROOT, "W7I %s /%s, %d callers, %d cycles of %.1f s slices"
                        + " (mean ± 99.9%% t-interval, as JMH); errors: pgloom %d, hikari %d:", server, route, callers,
                        cycles, sliceSeconds, loomLoad.errors.sum(), hikariLoad.errors.sum()));
                summary.addAll(Stats.summary("W7I", labels, rows));
                long[] l = merged(loomLatencies);
                long[] h = merged(hikariLatencies);
                summary.add(String.format(Locale.ROOT, "W7I   latency µs, pgloom p50 %d p99 %d; hikari p50 %d p99 %d",
                        percentile(l, 0.50) / 1000, percentile(l, 0.99) / 1000, percentile(h, 0.50) / 1000,
                        percentile(h, 0.99) / 1000));
                if (errors > 0) {
                    summary.add("W7I   requests that failed: " + errors);
                }
            }
        } finally {
            loom.stop();
            hikari.stop();
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    /** Opens {@code load} for a slice, then closes it and waits until its requests are answered. */
    private static Slice slice(Load load, AppProcess app, PgConnection admin, String client, double seconds)
            throws Exception {
        List<Integer> backends = backends(admin, client);
        long appCpu0 = cpuNanos(app.process().toHandle());
        long serverTicks0 = backendTicks(backends);
        long answered0 = load.answered.sum();
        int[] mark = load.counts.clone();
        long nanos = (long) (seconds * 1e9);
        load.openNanos(nanos);
        load.resume();
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        load.pause();
        load.awaitDrained();
        long appCpu = cpuNanos(app.process().toHandle()) - appCpu0;
        long serverTicks = backendTicks(backends) - serverTicks0;
        long answered = load.answered.sum() - answered0;
        long[] latencies = load.latenciesSince(mark);
        long counted = latencies.length;
        double perRequest = answered == 0 ? 0 : 1.0 / answered;
        return new Slice(counted / seconds, appCpu / 1000.0 * perRequest,
                serverTicks * (1_000_000.0 / CLOCK_TICKS_PER_SECOND) * perRequest, latencies);
    }

    private static long[] merged(List<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** utime + stime of the given processes, in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
    private static long backendTicks(List<Integer> pids) {
        long ticks = 0;
        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14, 15 counted from 1
            } catch (IOException | RuntimeException e) {
                // a backend that ended, or no /proc: counted as nothing
            }
        }
        return ticks;
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** 200 virtual threads, each on a keep-alive connection of its own, requesting one route in a loop. */
    private static final class Load {
        private final int port;
        private final String route;
        private final Thread[] threads;
        private final long[][] latencies;
        private final int[] counts;
        private final LongAdder errors = new LongAdder();
        /** Every answered request, in a window or not. */
        private final LongAdder answered = new LongAdder();
        /** Requests sent and not yet answered. */
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.locks.ReentrantLock gateLock = new java.util.concurrent.locks.ReentrantLock();
        private final java.util.concurrent.locks.Condition gateOpened = gateLock.newCondition();
        /** While false, callers send nothing new (interleaved runs pause one app's load). */
        private volatile boolean gateOpen = true;
        private volatile boolean stop;
        private volatile long windowStart = Long.MAX_VALUE;
        private volatile long windowEnd = Long.MAX_VALUE;

        Load(int port, String route, int callers) {
            this.port = port;
            this.route = route;
            this.threads = new Thread[callers];
            this.latencies = new long[callers][4096];
            this.counts = new int[callers];
        }

        void start() {
            for (int i = 0; i < threads.length; i++) {
                int caller = i;
                threads[i] = Thread.ofVirtual().start(() -> loop(caller));
            }
        }

        void open(int windowSeconds) {
            openNanos(windowSeconds * 1_000_000_000L);
        }

        void openNanos(long nanos) {
            long now = System.nanoTime();
            windowEnd = now + nanos;
            windowStart = now;
        }

        /** Callers finish the request they are in and send no more until {@link #resume}. */
        void pause() {
            gateOpen = false;
        }

        void resume() {
            gateLock.lock();
            try {
                gateOpen = true;
                gateOpened.signalAll();
            } finally {
                gateLock.unlock();
            }
        }

        /** Waits (up to 30 s) until every request sent has its answer. */
        void awaitDrained() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }

        private void awaitGate() {
            if (gateOpen) {
                return;
            }
            gateLock.lock();
            try {
                while (!gateOpen && !stop) {
                    gateOpened.awaitUninterruptibly();
                }
            } finally {
                gateLock.unlock();
            }
        }

        /** The latencies of the requests counted since {@code mark} (a copy of the callers' counts then). */
        long[] latenciesSince(int[] mark) {
            int n = 0;
            for (int i = 0; i < counts.length; i++) {
                n += counts[i] - mark[i];
            }
            long[] since = new long[n];
            int at = 0;
            for (int i = 0; i < counts.length; i++) {
                System.arraycopy(latencies[i], mark[i], since, at, counts[i] - mark[i]);
                at += counts[i] - mark[i];
            }
            return since;
        }

        void stop() throws InterruptedException {
            stop = true;
            resume();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
        }

        long completed() {
            long n = 0;
            for (int c : counts) {
                n += c;
            }
            return n;
        }

        long[] latencies() {
            long[] all = new long[(int) completed()];
            int at = 0;
            for (int i = 0; i < counts.length; i++) {
                System.arraycopy(latencies[i], 0, all, at, counts[i]);
                at += counts[i];
            }
            Arrays.sort(all);
            return all;
        }

        private void loop(int caller) {
            int key = caller * 7 % BenchDb.ROWS;
            while (!stop) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    while (!stop) {
                        // Counted in flight before the gate is checked, so that a pause that saw
                        // nothing in flight cannot be followed by a request that passed the gate.
                        inFlight.incrementAndGet();
                        if (!gateOpen) {
                            inFlight.decrementAndGet();
                            awaitGate();
                            continue;
                        }
                        key = key % BenchDb.ROWS + 1;
                        String path = route.equals("users") ? "/users/" + key : "/power/" + (key % 50);
                        long t0 = System.nanoTime();
                        try {
                            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            int status = readResponse(in);
                            long t1 = System.nanoTime();
                            answered.increment();
                            if (status != 200) {
                                errors.increment();
                                continue;
                            }
                            if (t0 >= windowStart && t1 <= windowEnd) {
                                if (counts[caller] == latencies[caller].length) {
                                    latencies[caller] = Arrays.copyOf(latencies[caller], counts[caller] * 2);
                                }
                                latencies[caller][counts[caller]++] = t1 - t0;
                            }
                        } finally {
                            // After the latency is recorded: a thread that sees nothing in flight sees it too.
                            inFlight.decrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    if (!stop) {
                        errors.increment();
                    }
                }
            }
        }

        /** Reads one response with a Content-Length body; returns its status. */
        private static int readResponse(InputStream in) throws IOException {
            String statusLine = readLine(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = -1;
            for (String h; !(h = readLine(in)).isEmpty(); ) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            if (length < 0) {
                throw new IOException("a response without Content-Length");
            }
            in.skipNBytes(length);
            return status;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }
    }

    // ---- the app: a JVM of its own ----

    /** What each route runs, on one client. */
    private interface App extends AutoCloseable {
        String user(int id) throws Exception;

        String power(int n) throws Exception;
    }

    private static void serve(String server, String client) throws Exception {
        try (App app = client.equals("pgloom") ? pgloom() : hikari()) {
            Runnable stop;
            int port;
            if (server.equals("helidon")) {
                WebServer web = WebServer.builder().host("127.0.0.1").port(0)
                        .routing(r -> r
                                .get("/users/{id}", (req, res) -> res.send(
                                        call(() -> app.user(Integer.parseInt(req.path().pathParameters().get("id"))))))
                                .get("/power/{n}", (req, res) -> res.send(
                                        call(() -> app.power(Integer.parseInt(req.path().pathParameters().get("n")))))))
                        .build().start();
                port = web.port();
                stop = web::stop;
            } else {
                HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
                http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
                http.createContext("/users/", ex -> reply(ex, call(() -> app.user(lastSegment(ex)))));
                http.createContext("/power/", ex -> reply(ex, call(() -> app.power(lastSegment(ex)))));
                http.start();
                port = http.getAddress().getPort();
                stop = () -> http.stop(0);
            }
            System.out.println("W7LISTENING " + port);
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream()); // until the load closes our stdin
            stop.run();
        }
        System.exit(0);
    }

    private interface Body {
        String get() throws Exception;
    }

    private static String call(Body body) {
        try {
            return body.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int lastSegment(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        return Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
    }

    private static void reply(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static App pgloom() {
        PgPool pool = PgPool.create(PoolOptions.builder()
                .connectOptions(ConnectOptions.fromUri(BenchDb.url()).toBuilder().applicationName(appName("pgloom")).build())
                .minSize(POOL_SIZE).maxSize(POOL_SIZE).build());
        return new App() {
            @Override
            public String user(int id) {
                Row r = pool.fetchRow(BenchDb.POINT_SELECT, id);
                return "{\"id\":" + r.get(0) + ",\"name\":\"" + r.get(1) + "\",\"amount\":" + r.get(2) + "}";
            }

            @Override
            public String power(int n) {
                Object power = pool.inTransaction(c -> c.fetchVal(POWER, n));
                return String.valueOf(power);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static App hikari() {
        HikariConfig config = new HikariConfig();
        BenchDb.Uri u = BenchDb.Uri.current();
        config.setJdbcUrl(BenchDb.jdbcUrl());
        config.setUsername(u.user());
        config.setPassword(u.password());
        config.addDataSourceProperty("prepareThreshold", "1");
        config.addDataSourceProperty("sslmode", "disable");
        config.addDataSourceProperty("ApplicationName", appName("hikari"));
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        HikariDataSource ds = new HikariDataSource(config);
        String userSql = BenchDb.POINT_SELECT.replace("$1", "?");
        String powerSql = POWER.replace("$1", "?");
        return new App() {
            @Override
            public String user(int id) throws Exception {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(userSql)) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return "{\"id\":" + rs.getInt(1) + ",\"name\":\"" + rs.getString(2) + "\",\"amount\":"
                                + rs.getBigDecimal(3) + "}";
                    }
                }
            }

            @Override
            public String power(int n) throws Exception {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement(powerSql)) {
                        ps.setInt(1, n);
                        double v;
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            v = rs.getDouble(1);
                        }
                        c.commit();
                        return String.valueOf(v);
                    } catch (Exception e) {
                        c.rollback();
                        throw e;
                    }
                }
            }

            @Override
            public void close() {
                ds.close();
            }
        };
    }
}
