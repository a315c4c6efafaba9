package io.pgloom.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgloom.ConnectOptions;
import io.pgloom.DataException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Transaction;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The seed demo: a virtual-thread HTTP server that answers {@code GET /{power}} with
 * "2 ^ {power} is {result}", computed by PostgreSQL through a pooled connection inside a
 * transaction.
 *
 * <pre>
 * java io.pgloom.examples.PowerDemo [postgresql://user:pass@host/db] [--port 8080] [--self-test] [--help]
 * </pre>
 *
 * <p>Without a URL (argument or {@code PGLOOM_DEMO_URL}) it starts a throwaway PostgreSQL from
 * pgloom-testing. {@code --self-test} fires a few hundred concurrent requests at itself, prints
 * their latency percentiles, checks every answer, and exits.
 */
public final class PowerDemo {

    private static final int SELF_TEST_REQUESTS = 400;

    private static final String USAGE = """
            usage: PowerDemo [postgresql://user:pass@host/db] [--port N] [--self-test] [--help]
              URL          the database to use (or set PGLOOM_DEMO_URL); without one a throwaway
                           PostgreSQL is started from pgloom-testing
              --port N     the HTTP port (default 8080)
              --self-test  fire 400 concurrent requests at the demo, print latencies and exit
              --help       print this and exit
            with Maven:  ./mvnw -B -q -pl examples exec:java -Dexec.args="--port 8081\"""";

    private PowerDemo() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getenv("PGLOOM_DEMO_URL");
        int port = 8080;
        boolean selfTest = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--self-test" -> selfTest = true;
                case "--port" -> port = i + 1 < args.length ? parsePort(args[++i]) : -1;
                case "--help", "-h", "-help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    if (args[i].startsWith("-") || !args[i].contains("://") && !args[i].contains("=")) {
                        System.err.println("unknown argument: " + args[i] + "\n" + USAGE);
                        System.exit(2);
                    }
                    url = args[i];
                }
            }
        }
        if (port < 0) {
            System.err.println("--port needs a number from 0 to 65535\n" + USAGE);
            System.exit(2);
        }
        if (selfTest) {
            port = 0; // any free port: the self-test talks to itself
        }

        // Bind first: a busy port is then one clear line, before a database is started for nothing.
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (BindException e) {
            System.err.println("Port " + port + " is already in use: stop what listens there or pick another with --port N");
            System.exit(1);
            return;
        }

        PgServer embedded = null;
        if (url == null) {
            System.out.println("No database URL given: starting a throwaway PostgreSQL ...");
            embedded = PgServer.builder().build().start();
            url = embedded.uri();
            System.out.println("PostgreSQL " + embedded.version() + " is up on port " + embedded.port());
        }
        PgPool pool = PgPool.create(PoolOptions.builder()
                .connectOptions(ConnectOptions.fromUri(url))
                .minSize(2).maxSize(16).acquireTimeout(Duration.ofSeconds(5)).build());

        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(requests);
        http.createContext("/", exchange -> answer(exchange, pool));
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();

        PgServer server = embedded;
        Runnable shutdown = () -> {
            http.stop(0);
            requests.close();
            pool.close();
            if (server != null) {
                server.close();
            }
        };
        if (selfTest) {
            int failures;
            try {
                failures = selfTest(base);
            } finally {
                shutdown.run();
            }
            System.exit(failures == 0 ? 0 : 1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "demo-shutdown"));
        System.out.println("Serving on " + base + "  --  try:  curl " + base + "/10");
        System.out.println("Press Ctrl+C to stop.");
        Thread.currentThread().join();
    }

    /** One request, on its own virtual thread: borrow, open a transaction, ask, commit, give back. */
    private static void answer(HttpExchange exchange, PgPool pool) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int status;
        String body;
        try {
            int power = Integer.parseInt(path.substring(1));
            Object result;
            try (PgConnection conn = pool.acquire(); Transaction tx = conn.transaction()) {
                result = conn.fetchVal("select 2 ^ $1", power);
                tx.commit();
            }
            status = 200;
            body = "2 ^ " + power + " is " + result + "\n";
        } catch (NumberFormatException e) {
            status = 400;
            body = "usage: GET /{power}, for example /10\n";
        } catch (DataException e) {
            status = 400;   // SQLSTATE class 22: the input was wrong, e.g. /1024 overflows float8
            body = "bad input: " + e.serverMessage() + "\n";
        } catch (PgException e) {
            status = e.isTransient() ? 503 : 500;
            body = "database error: " + e.getMessage() + "\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Fires two rounds of concurrent requests, checks each answer and prints latency percentiles
     * of each; returns failures. The first round meets a cold JVM and a pool that still opens its
     * connections; the second shows the steady state.
     */
    private static int selfTest(String base) throws Exception {
        System.out.println("Self-test: 2 rounds of " + SELF_TEST_REQUESTS + " concurrent requests against " + base);
        int failures = 0;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            for (String round : List.of("cold", "warm")) {
                failures += round(client, base, round);
            }
        }
        System.out.println(failures == 0 ? "Self-test passed." : "Self-test FAILED.");
        return failures;
    }

    private static int round(HttpClient client, String base, String name) throws Exception {
        List<Future<long[]>> results = new ArrayList<>();
        int failures = 0;
        long start = System.nanoTime();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < SELF_TEST_REQUESTS; i++) {
                int power = i % 64;
                results.add(callers.submit(() -> {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/" + power))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                    long nanos = System.nanoTime() - t0;
                    String expected = "2 ^ " + power + " is " + Math.pow(2, power) + "\n";
                    return new long[]{nanos, r.statusCode() == 200 && r.body().equals(expected) ? 0 : 1};
                }));
            }
            long[] latencies = new long[results.size()];
            for (int i = 0; i < latencies.length; i++) {
                long[] r = results.get(i).get();
                latencies[i] = r[0];
                failures += (int) r[1];
            }
            Arrays.sort(latencies);
            System.out.printf("%s: %d requests in %.0f ms, %d failures; latency ms p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                    name, latencies.length, (System.nanoTime() - start) / 1e6, failures,
                    percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                    latencies[latencies.length - 1] / 1e6);
        }
        return failures;
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
