package io.pgloom.examples.jetty;

import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The Jetty app on a real server over real HTTP, through a database restart. */
class JettyAppTest {

    static PgServer database;
    static JettyApp app;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        database = PgServer.builder().build().start();
        app = JettyApp.start(Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "db.url", database.uri(), "db.max_size", "4", "db.acquire_timeout", "2s", "app.slow_query", "10s"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
            assertThat(app.pool().isClosed()).isTrue();
        }
        if (database != null) {
            database.close();
        }
        if (http != null) {
            http.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    @Test
    void powersAreComputedAndBadInputIs400() throws Exception {
        HttpResponse<String> ten = get("/10");
        assertThat(ten.statusCode()).isEqualTo(200);
        assertThat(ten.body()).isEqualTo("2 ^ 10 is 1024.0\n");
        HttpResponse<String> overflow = get("/1024");
        assertThat(overflow.statusCode()).isEqualTo(400);
        assertThat(overflow.body()).contains("out of range").contains("22003");
        assertThat(get("/ten").statusCode()).isEqualTo(400);
    }

    @Test
    void usersAreCreatedListedAndFoundAsJson() throws Exception {
        HttpResponse<String> created = post("/users", "{\"name\":\"Ann\",\"email\":\"ann-j@example.com\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"name\":\"Ann\"").contains("\"email\":\"ann-j@example.com\"");
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> one = get(location);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo(created.body());
        assertThat(post("/users", "{\"name\":\"Ann again\",\"email\":\"ann-j@example.com\"}").statusCode()).isEqualTo(409);
        assertThat(post("/users", "{\"name\":\"No mail\"}").statusCode()).isEqualTo(400);
        assertThat(get("/users").body()).contains("ann-j@example.com").startsWith("[");
        assertThat(get("/users/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void healthPingsAndMetricsShowThePool() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("pingMicros");
        get("/5");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("pgloom_connections_active").contains("pgloom_connections_max")
                .contains("pgloom_connections_acquire").contains("pgloom_connections_usage")
                .contains("pgloom_queries_seconds_count{outcome=\"ok\"}");
    }

    @Test
    void aDatabaseRestartGives503sThenRecovers() throws Exception {
        assertThat(get("/3").statusCode()).isEqualTo(200);
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = Thread.ofVirtual().start(() -> {
            long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (running.get() && System.nanoTime() < end) {
                try {
                    statuses.add(get("/3").statusCode());
                    Thread.sleep(20);
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }
        });
        try {
            database.stop();
            awaitStatus(statuses, 503, Duration.ofSeconds(30));
            assertThat(get("/health").statusCode()).isEqualTo(503);
            database.start();
            awaitStatus(statuses, 200, Duration.ofSeconds(60), statuses.size());
            assertThat(get("/health").statusCode()).isEqualTo(200);
        } finally {
            running.set(false);
            load.join(Duration.ofSeconds(30));
        }
        assertThat(statuses).contains(503).containsOnly(200, 503);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(200);
    }

    private static void awaitStatus(List<Integer> statuses, int wanted, Duration limit) throws InterruptedException {
        awaitStatus(statuses, wanted, limit, 0);
    }

    /** Waits until {@code wanted} appears among the statuses recorded from index {@code from} on. */
    private static void awaitStatus(List<Integer> statuses, int wanted, Duration limit, int from)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            // A copy, because the load thread keeps appending: a view over the live list fails
            // with ConcurrentModificationException when an add lands while it is read.
            List<Integer> snapshot = List.copyOf(statuses);
            List<Integer> since = snapshot.subList(from, snapshot.size());
            if (since.contains(wanted)) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + wanted + " within " + limit + "; statuses since: " + since);
            }
            Thread.sleep(20);
        }
    }
}
