package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolListener;
import io.pgloom.pool.PoolOptions;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pool options from configuration text and URIs; the release listener and the PoolAcquire JFR event. */
class PoolConfigTest {

    @Test
    void fromMapReadsEveryDocumentedKey() {
        PoolOptions o = PoolOptions.fromMap(Map.ofEntries(
                Map.entry("url", "postgresql://app@db.example/shop"),
                Map.entry("min_size", "2"), Map.entry("max-size", "16"), Map.entry("acquire_timeout", "5s"),
                Map.entry("max_lifetime", "30m"), Map.entry("max_lifetime_jitter", "1m"),
                Map.entry("idle_timeout", "PT10M"), Map.entry("max_queries", "1000"),
                Map.entry("liveness_check_after", "500ms"), Map.entry("validation_timeout", "2"),
                Map.entry("reset_query", "DISCARD ALL"), Map.entry("leak_detection_threshold", "1h"),
                Map.entry("close_timeout", "0.5"), Map.entry("max_transaction_attempts", "3"),
                Map.entry("retry_backoff", "20ms")));
        assertThat(o.connectOptions().host()).isEqualTo("db.example");
        assertThat(o.connectOptions().database()).isEqualTo("shop");
        assertThat(o.minSize()).isEqualTo(2);
        assertThat(o.maxSize()).isEqualTo(16);
        assertThat(o.acquireTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(o.maxLifetimeJitter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.maxQueries()).isEqualTo(1000);
        assertThat(o.livenessCheckAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.validationTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.resetQuery()).isEqualTo("DISCARD ALL");
        assertThat(o.leakDetectionThreshold()).isEqualTo(Duration.ofHours(1));
        assertThat(o.closeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.maxTransactionAttempts()).isEqualTo(3);
        assertThat(o.retryBackoff()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aPrefixSelectsOnePoolsKeysAndIgnoresTheRest() {
        PoolOptions o = PoolOptions.fromMap(Map.of("db.url", "postgresql://app@h1/shop", "db.max_size", "4",
                "server.port", "8080", "other.max_size", "99"), "db.");
        assertThat(o.maxSize()).isEqualTo(4);
        assertThat(o.connectOptions().host()).isEqualTo("h1");
    }

    @Test
    void unknownKeysAndBadValuesAreErrorsThatNameTheKey() {
        assertThatThrownBy(() -> PoolOptions.fromMap(Map.of("url", "postgresql://h/db", "maxsize", "4")))
                .isInstanceOf(PgException.class).hasMessageContaining("\"maxsize\"").hasMessageContaining("max_size");
        assertThatThrownBy(() -> PoolOptions.fromMap(Map.of("db.url", "postgresql://h/db", "db.pool_size", "4"), "db."))
                .isInstanceOf(PgException.class).hasMessageContaining("\"db.pool_size\"");
        assertThatThrownBy(() -> PoolOptions.fromMap(Map.of("url", "postgresql://h/db", "acquire_timeout", "soon")))
                .isInstanceOf(PgException.class).hasMessageContaining("acquire_timeout").hasMessageContaining("soon");
        assertThatThrownBy(() -> PoolOptions.fromMap(Map.of("url", "postgresql://h/db", "max_size", "many")))
                .isInstanceOf(PgException.class).hasMessageContaining("max_size");
        assertThatThrownBy(() -> PoolOptions.fromMap(Map.of("url", "postgresql://h/db", "max_size", "0")))
                .isInstanceOf(PgException.class).hasMessageContaining("maxSize");
        assertThatThrownBy(() -> PoolOptions.fromMap(Map.of("url", "postgresql://h/db?bogus_key=1")))
                .isInstanceOf(PgException.class).hasMessageContaining("bogus_key");
    }

    @Test
    void poolKeysRideInTheUriQueryBesideConnectionKeys() {
        PoolOptions o = PoolOptions.builder()
                .uri("postgresql://app@db.example/shop?max_size=12&sslmode=disable&acquire_timeout=250ms&application_name=x")
                .build();
        assertThat(o.maxSize()).isEqualTo(12);
        assertThat(o.acquireTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.connectOptions().applicationName()).isEqualTo("x");
        assertThat(o.connectOptions().sslMode()).isEqualTo(io.pgloom.SslMode.DISABLE);
    }

    @Test
    void aPoolFromAUriWithPoolKeysConnects() {
        String uri = TestDb.server().uri();
        String withPool = uri + (uri.contains("?") ? "&" : "?") + "max_size=3&min_size=0";
        try (PgPool pool = PgPool.create(PoolOptions.fromMap(Map.of("url", withPool)))) {
            assertThat(pool.options().maxSize()).isEqualTo(3);
            assertThat(pool.fetchVal("SELECT 40 + $1", 2)).isEqualTo(42);
        }
    }

    @Test
    void releaseReportsHoldTimeAndAcquiresAreJfrEvents(@TempDir Path dir) throws Exception {
        List<Long> held = new CopyOnWriteArrayList<>();
        PoolListener listener = new PoolListener() {
            @Override public void released(long heldNanos) { held.add(heldNanos); }
        };
        Path file = dir.resolve("pool.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.pgloom.PoolAcquire").withoutThreshold();
            recording.start();
            try (PgPool pool = PgPool.create(Pools.options(Pools.appName("cfg-release")).maxSize(1)
                    .listener(listener).build())) {
                try (PgConnection c = pool.acquire()) {
                    Thread.sleep(50);
                    c.fetchVal("SELECT 1");
                }
                assertThatThrownBy(() -> {
                    try (PgConnection c = pool.acquire(); PgConnection d = pool.acquire(Duration.ofMillis(50))) {
                        d.fetchVal("SELECT 1");
                    }
                }).isInstanceOf(io.pgloom.PgTimeoutException.class);
            }
            recording.stop();
            recording.dump(file);
        }
        assertThat(held).hasSize(2);
        assertThat(held.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        List<RecordedEvent> acquires = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.pgloom.PoolAcquire")).toList();
        assertThat(acquires).extracting(e -> e.getBoolean("timedOut")).containsExactly(false, false, true);
        assertThat(acquires.get(2).getDuration("waitNanos")).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }
}
