package io.pgloom.examples.jetty;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A Jetty 12 app on virtual threads ({@link VirtualThreadPool}) on pgloom: {@code GET /{power}}
 * computed in a pool transaction, a {@code /users} resource, {@code /health} (a {@code ping}),
 * Prometheus metrics at {@code /metrics} through Micrometer ({@link PgPoolMetrics}), and a
 * {@link io.pgloom.QueryListener} that times every query and logs slow ones ({@link QueryMetrics}).
 * The pool is built from the {@code db.} keys of {@code jetty-app.properties}, overridden by
 * system properties and the {@code DB_URL} environment variable; without a URL a throwaway
 * PostgreSQL from pgloom-testing serves as the development database.
 *
 * <pre>
 * ./mvnw -B -q -pl examples/jetty -am compile exec:java                        # dev database
 * DB_URL=postgresql://app:secret@localhost/shop ./mvnw -B -q -pl examples/jetty -am compile exec:java
 * </pre>
 */
public final class JettyApp implements AutoCloseable {

    private final Server server;
    private final PgPool pool;
    private final PgServer devDatabase;

    private JettyApp(Server server, PgPool pool, PgServer devDatabase) {
        this.server = server;
        this.pool = pool;
        this.devDatabase = devDatabase;
    }

    public static void main(String[] args) throws Exception {
        JettyApp app = start(configuration());
        System.out.println("Serving on http://127.0.0.1:" + app.port() + "  --  try:  curl http://127.0.0.1:"
                + app.port() + "/10   /users   /health   /metrics");
        app.server.join();
    }

    /** jetty-app.properties, then system properties, then DB_URL and SERVER_PORT from the environment. */
    static Map<String, String> configuration() {
        Properties properties = new Properties();
        try (InputStream in = JettyApp.class.getResourceAsStream("/jetty-app.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        properties.forEach((k, v) -> config.put((String) k, (String) v));
        System.getProperties().forEach((k, v) -> {
            String key = (String) k;
            if (key.startsWith("db.") || key.startsWith("server.") || key.startsWith("app.")) {
                config.put(key, (String) v);
            }
        });
        if (System.getenv("DB_URL") != null) {
            config.put("db.url", System.getenv("DB_URL"));
        }
        if (System.getenv("SERVER_PORT") != null) {
            config.put("server.port", System.getenv("SERVER_PORT"));
        }
        return config;
    }

    /** Starts the app: the pool from the {@code db.} keys, the server from {@code server.host/port}. */
    public static JettyApp start(Map<String, String> config) throws Exception {
        Map<String, String> settings = new HashMap<>(config);
        PgServer devDatabase = null;
        if (!settings.containsKey("db.url")) {
            System.out.println("No db.url configured: starting a throwaway PostgreSQL (development mode) ...");
            devDatabase = PgServer.builder().build().start();
            settings.put("db.url", devDatabase.uri());
        }
        Duration slowQuery = duration(settings.getOrDefault("app.slow_query", "200ms"));
        settings.keySet().removeIf(k -> k.startsWith("app."));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PgPoolMetrics poolMetrics = new PgPoolMetrics("main");
        QueryMetrics queryMetrics = new QueryMetrics(registry, slowQuery);
        PoolOptions options = PoolOptions.fromMap(settings, "db.");
        PgPool pool = PgPool.create(options.toBuilder()
                .connectOptions(options.connectOptions().toBuilder().queryListener(queryMetrics).build())
                .listener(poolMetrics)
                .build());
        poolMetrics.bindTo(pool, registry);

        Server server = new Server(new VirtualThreadPool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.getOrDefault("server.host", "127.0.0.1"));
        connector.setPort(Integer.parseInt(settings.getOrDefault("server.port", "8080")));
        server.addConnector(connector);
        server.setHandler(new Routes(pool, registry));
        server.setStopAtShutdown(true);
        PgServer dev = devDatabase;
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                pool.close();   // after the last request has been answered
                if (dev != null) {
                    dev.close();
                }
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new JettyApp(server, pool, devDatabase);
    }

    private static Duration duration(String text) {
        String t = text.strip();
        return t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)))
                : t.endsWith("s") ? Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)))
                : Duration.parse(t);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public PgPool pool() {
        return pool;
    }

    /** Stops Jetty, which then closes the pool and the dev database. */
    @Override
    public void close() throws Exception {
        server.stop();
    }
}
