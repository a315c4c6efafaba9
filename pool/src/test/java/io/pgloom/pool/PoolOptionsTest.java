package io.pgloom.pool;

import io.pgloom.ConnectOptions;
import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolOptionsTest {

    private static final ConnectOptions CONNECT = ConnectOptions.builder().host("localhost").user("app").build();

    private static PoolOptions.Builder valid() {
        return PoolOptions.builder().connectOptions(CONNECT);
    }

    @Test
    void defaultsAreSensible() {
        PoolOptions o = valid().build();
        assertThat(o.minSize()).isZero();
        assertThat(o.maxSize()).isEqualTo(10);
        assertThat(o.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.maxLifetimeJitter()).isEqualTo(Duration.ofMinutes(30).dividedBy(40));
        assertThat(o.maxQueries()).as("no replacement by count: a busy pool would reopen its connections every few seconds")
                .isZero();
        assertThat(o.resetQuery()).as("no extra reset SQL: the connection resets what changed").isNull();
        assertThat(o.resetEveryRelease()).isFalse();
        assertThat(o.listener()).isSameAs(PoolListener.NONE);
        assertThat(o.toBuilder().build()).isEqualTo(o);
    }

    @Test
    void badValuesFailFastNamingTheKey() {
        assertBad(PoolOptions.builder(), "PoolOptions.connectOptions");
        assertBad(valid().maxSize(0), "PoolOptions.maxSize");
        assertBad(valid().maxSize(2).minSize(3), "PoolOptions.minSize");
        assertBad(valid().minSize(-1), "PoolOptions.minSize");
        assertBad(valid().acquireTimeout(Duration.ofSeconds(-1)), "PoolOptions.acquireTimeout");
        assertBad(valid().acquireTimeout(null), "PoolOptions.acquireTimeout");
        assertBad(valid().maxLifetime(Duration.ofMillis(-5)), "PoolOptions.maxLifetime");
        assertBad(valid().maxLifetime(Duration.ofSeconds(1)).maxLifetimeJitter(Duration.ofSeconds(1)),
                "PoolOptions.maxLifetimeJitter");
        assertBad(valid().idleTimeout(Duration.ofSeconds(-1)), "PoolOptions.idleTimeout");
        assertBad(valid().maxQueries(-1), "PoolOptions.maxQueries");
        assertBad(valid().livenessCheckAfter(Duration.ofSeconds(-1)), "PoolOptions.livenessCheckAfter");
        assertBad(valid().validationTimeout(Duration.ZERO), "PoolOptions.validationTimeout");
        assertBad(valid().resetQuery("RESET ALL\0"), "PoolOptions.resetQuery");
        assertBad(valid().leakDetectionThreshold(Duration.ofSeconds(-1)), "PoolOptions.leakDetectionThreshold");
        assertBad(valid().closeTimeout(Duration.ofSeconds(-1)), "PoolOptions.closeTimeout");
        assertBad(valid().maxTransactionAttempts(0), "PoolOptions.maxTransactionAttempts");
        assertBad(valid().retryBackoff(Duration.ofMillis(-1)), "PoolOptions.retryBackoff");
        assertBad(valid().listener(null), "PoolOptions.listener");
    }

    @Test
    void zeroSwitchesOffLifetimeAndItsJitter() {
        PoolOptions o = valid().maxLifetime(Duration.ZERO).idleTimeout(Duration.ZERO).build();
        assertThat(o.maxLifetimeJitter()).isZero();
        assertThat(Housekeeper.period(o)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void housekeepingRunsOftenEnoughForTheShortestDeadline() {
        PoolOptions o = valid().maxLifetime(Duration.ofMillis(400)).maxLifetimeJitter(Duration.ZERO).build();
        assertThat(Housekeeper.period(o)).isEqualTo(Duration.ofMillis(100));
        PoolOptions tiny = valid().leakDetectionThreshold(Duration.ofMillis(2)).build();
        assertThat(Housekeeper.period(tiny)).isEqualTo(Duration.ofMillis(10));
    }

    private static void assertBad(PoolOptions.Builder builder, String key) {
        assertThatThrownBy(builder::build).isInstanceOf(PgException.class).hasMessageStartingWith(key + " ");
    }
}
