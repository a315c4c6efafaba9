package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgNotification;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** LISTEN/NOTIFY: callbacks, waiting while idle, delivery after a query, and UNLISTEN. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotifyTest {

    @Test
    void aWaitingConnectionReceivesANotification() throws Exception {
        try (PgConnection listener = TestDb.connect(); PgConnection sender = TestDb.connect()) {
            List<PgNotification> got = new CopyOnWriteArrayList<>();
            listener.addListener("orders", got::add);
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    return;
                }
                sender.execute("SELECT pg_notify('orders', 'order 42')");
            });
            int delivered = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (delivered == 0 && System.nanoTime() < deadline) {
                delivered = listener.waitForNotifications(Duration.ofSeconds(5));
            }
            assertThat(delivered).isEqualTo(1);
            assertThat(got).containsExactly(new PgNotification(sender.serverPid(), "orders", "order 42"));
            assertThat(listener.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void aWaitThatTimesOutLeavesTheConnectionInStep() {
        try (PgConnection conn = TestDb.connect()) {
            conn.addListener("quiet", n -> { });
            long t0 = System.nanoTime();
            assertThat(conn.waitForNotifications(Duration.ofMillis(200))).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            for (int i = 0; i < 100; i++) {
                conn.waitForNotifications(Duration.ofMillis(1));
                assertThat(conn.fetchVal("SELECT $1::int", i)).isEqualTo(i);
            }
        }
    }

    @Test
    void notificationsThatArriveDuringAQueryAreDeliveredAfterIt() throws Exception {
        try (PgConnection listener = TestDb.connect(); PgConnection sender = TestDb.connect()) {
            List<String> payloads = new CopyOnWriteArrayList<>();
            listener.addListener("events", n -> payloads.add(n.payload()));
            listener.addListener("other", n -> payloads.add("other:" + n.payload()));
            sender.execute("NOTIFY events, 'a'");
            sender.execute("NOTIFY other, 'b'");
            Thread.sleep(200);
            assertThat(listener.fetchVal("SELECT 2")).isEqualTo(2);
            assertThat(payloads).containsExactly("a", "other:b");
        }
    }

    @Test
    void removeListenerAndUnlistenStopDelivery() throws Exception {
        try (PgConnection listener = TestDb.connect(); PgConnection sender = TestDb.connect()) {
            List<String> payloads = new CopyOnWriteArrayList<>();
            java.util.function.Consumer<PgNotification> callback = n -> payloads.add(n.payload());
            listener.addListener("a", callback);
            listener.addListener("b", callback);
            listener.removeListener("a", callback);
            assertThat(listener.fetch("SELECT pg_listening_channels()")).extracting(r -> r.get(0)).containsExactly("b");
            listener.execute("UNLISTEN *");
            sender.execute("NOTIFY a, 'x'");
            sender.execute("NOTIFY b, 'y'");
            Thread.sleep(100);
            assertThat(listener.waitForNotifications(Duration.ofMillis(100))).isZero();
            assertThat(payloads).isEmpty();
        }
    }

    @Test
    void waitingOverTls() throws Exception {
        var server = TestDb.server();
        ConnectOptions tls = TestDb.options().toBuilder().sslMode(SslMode.REQUIRE).build();
        try (PgConnection listener = PgConnection.connect(tls); PgConnection sender = TestDb.connect()) {
            List<String> payloads = new CopyOnWriteArrayList<>();
            listener.addListener("secure", n -> payloads.add(n.payload()));
            assertThat(listener.waitForNotifications(Duration.ofMillis(100))).isZero();
            sender.execute("NOTIFY secure, 'hello'");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (payloads.isEmpty() && System.nanoTime() < deadline) {
                listener.waitForNotifications(Duration.ofSeconds(2));
            }
            assertThat(payloads).containsExactly("hello");
            assertThat(listener.fetchVal("SELECT 3")).isEqualTo(3);
            assertThat(server.port()).isPositive();
        }
    }
}
