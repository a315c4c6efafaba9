package io.pgloom.examples.jetty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgloom.DataException;
import io.pgloom.PgException;
import io.pgloom.UniqueViolationException;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolStats;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes, as one blocking Jetty handler (each request has its own virtual thread):
 * {@code GET /{power}}, {@code GET /users}, {@code GET /users/{id}}, {@code POST /users},
 * {@code GET /health}, {@code GET /metrics}. A {@link PgException} becomes a status: 400 for bad
 * input (SQLSTATE class 22), 409 for a duplicate, 503 when worth retrying later
 * ({@link PgException#isTransient()}), else 500.
 */
final class Routes extends Handler.Abstract {

    /** A row of {@code users}. */
    record User(int id, String name, String email) {
    }

    /** The body of {@code POST /users}. */
    record NewUser(String name, String email) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgPool pool;
    private final PrometheusMeterRegistry registry;
    private volatile boolean schemaReady;

    Routes(PgPool pool, PrometheusMeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            if (path.equals("/health")) {
                health(response, callback);
            } else if (path.equals("/metrics")) {
                send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            } else if (path.equals("/users") && method.equals("GET")) {
                ensureSchema();
                json(response, callback, 200, pool.fetch(User.class, "SELECT id, name, email FROM users ORDER BY id"));
            } else if (path.equals("/users") && method.equals("POST")) {
                createUser(request, response, callback);
            } else if (path.startsWith("/users/") && method.equals("GET")) {
                ensureSchema();
                int id = Integer.parseInt(path.substring("/users/".length()));
                List<User> found = pool.fetch(User.class, "SELECT id, name, email FROM users WHERE id = $1", id);
                if (found.isEmpty()) {
                    json(response, callback, 404, Map.of("error", "no user " + id));
                } else {
                    json(response, callback, 200, found.get(0));
                }
            } else if (method.equals("GET") && path.lastIndexOf('/') == 0 && path.length() > 1) {
                int power = Integer.parseInt(path.substring(1));
                Object result = pool.inTransaction(conn -> conn.fetchVal("SELECT 2 ^ $1", power));
                send(response, callback, 200, "text/plain; charset=utf-8", "2 ^ " + power + " is " + result + "\n");
            } else {
                json(response, callback, 404, Map.of("error", "no route for " + method + " " + path));
            }
        } catch (NumberFormatException e) {
            json(response, callback, 400, Map.of("error", "not a number: " + e.getMessage()));
        } catch (PgException e) {
            int status = e instanceof DataException ? 400
                    : e instanceof UniqueViolationException ? 409
                    : e.isTransient() ? 503 : 500;
            if (status == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", e.sqlState() != null ? e.serverMessage() : e.getMessage());
            body.put("sqlState", String.valueOf(e.sqlState()));
            json(response, callback, status, body);
        }
        return true;
    }

    private void createUser(Request request, Response response, Callback callback) throws Exception {
        ensureSchema();
        NewUser body;
        try {
            body = JSON.readValue(Content.Source.asString(request, StandardCharsets.UTF_8), NewUser.class);
        } catch (JsonProcessingException e) {
            json(response, callback, 400, Map.of("error", "not a user: " + e.getOriginalMessage()));
            return;
        }
        if (body.name() == null || body.email() == null) {
            json(response, callback, 400, Map.of("error", "name and email are required"));
            return;
        }
        User user = pool.fetch(User.class, "INSERT INTO users(name, email) VALUES ($1, $2) RETURNING id, name, email",
                body.name(), body.email()).get(0);
        response.getHeaders().put(HttpHeader.LOCATION, "/users/" + user.id());
        json(response, callback, 201, user);
    }

    /** 200 when the database answers a ping within 2 s, else 503; never queued behind requests. */
    private void health(Response response, Callback callback) throws Exception {
        PoolStats stats = pool.stats();
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        try {
            Duration rtt = pool.ping(Duration.ofSeconds(2));
            body.put("status", "UP");
            body.put("pingMicros", rtt.toNanos() / 1000);
            status = 200;
        } catch (PgException e) {
            body.put("status", "DOWN");
            body.put("error", e.getMessage());
            status = 503;
        }
        body.put("inUse", stats.inUse());
        body.put("idle", stats.idle());
        body.put("waiting", stats.waiting());
        json(response, callback, status, body);
    }

    private void ensureSchema() {
        if (!schemaReady) {
            pool.execute("CREATE TABLE IF NOT EXISTS users(id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE)");
            schemaReady = true;
        }
    }

    private static void json(Response response, Callback callback, int status, Object value) throws Exception {
        send(response, callback, status, "application/json", JSON.writeValueAsString(value));
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
    }
}
