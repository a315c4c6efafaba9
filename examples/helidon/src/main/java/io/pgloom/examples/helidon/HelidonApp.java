package io.pgloom.examples.helidon;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;

import java.time.Duration;
import java.util.Map;

/**
 * A Helidon SE 4 app on pgloom: {@code GET /{power}} computed in a pool transaction, a
 * {@code /users} resource, health at {@code /observe/health} (a {@code ping}), pool metrics at
 * {@code /observe/metrics}. The pool comes from the {@code db} section of the configuration
 * ({@code application.yaml}, environment, system properties); without {@code db.url} a throwaway
 * PostgreSQL from pgloom-testing serves as the development database.
 *
 * <pre>
 * ./mvnw -B -q -pl examples/helidon -am compile exec:java                     # dev database
 * DB_URL=postgresql://app:secret@localhost/shop ./mvnw -B -q -pl examples/helidon -am compile exec:java
 * </pre>
 */
public final class HelidonApp implements AutoCloseable {

    private final WebServer server;
    private final PgPool pool;
    private final PgServer devDatabase;

    private HelidonApp(WebServer server, PgPool pool, PgServer devDatabase) {
        this.server = server;
        this.pool = pool;
        this.devDatabase = devDatabase;
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        HelidonApp app = start(Config.create());
        // Helidon's own hook stops the server; ours then closes the pool (and the dev database).
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "pgloom-example-shutdown"));
        System.out.println("Serving on http://127.0.0.1:" + app.port() + "  --  try:  curl http://127.0.0.1:"
                + app.port() + "/10   /users   /observe/health   /observe/metrics");
    }

    /** Starts the app from {@code config}: the pool from {@code db}, the server from {@code server}. */
    public static HelidonApp start(Config config) {
        Map<String, String> db = config.get("db").detach().asMap().orElse(Map.of());
        PgServer devDatabase = null;
        if (!db.containsKey("url")) {
            System.out.println("No db.url configured: starting a throwaway PostgreSQL (development mode) ...");
            devDatabase = PgServer.builder().build().start();
            db = new java.util.HashMap<>(db);
            db.put("url", devDatabase.uri());
        }

        MeterRegistry registry = Metrics.globalRegistry();
        PoolMetrics metrics = new PoolMetrics(registry, "main");
        PgPool pool = PgPool.create(PoolOptions.fromMap(db).toBuilder().listener(metrics).build());
        metrics.bind(pool);
        try {
            UsersService.createSchema(pool);
        } catch (RuntimeException e) {
            System.out.println("The database is not reachable yet (" + e.getMessage() + "); the schema is made on first use.");
        }

        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .shutdownHook(true)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder()
                                .addCheck(new PoolHealthCheck(pool, Duration.ofSeconds(2)))
                                .details(true)
                                .build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing(routing -> new UsersService(pool).register(routing))
                .build()
                .start();
        return new HelidonApp(server, pool, devDatabase);
    }

    public int port() {
        return server.port();
    }

    public PgPool pool() {
        return pool;
    }

    /** Stops the server, then closes the pool (waiting for borrowed connections), then the dev database. */
    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
        pool.close();
        if (devDatabase != null) {
            devDatabase.close();
        }
    }
}
