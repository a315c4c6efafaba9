package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgNotification;
import io.pgloom.SslMode;
import io.pgloom.it.Await;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** LISTEN/NOTIFY: callbacks, waiting while idle, delivery after a query, and UNLISTEN. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotifyTest {

    @Test
    void aWaitingConnectionReceivesANotification() throws Exception {
        try (PgConnection listener = TestDb.connect(); PgConnection sender = TestDb.connect()) {
            List<PgNotification> got = new CopyOnWriteArrayList<>();
            listener.addListener("orders", got::add);
            AtomicInteger delivered = new AtomicInteger();
            Thread waiter = Thread.ofVirtual().start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (delivered.get() == 0 && System.nanoTime() < deadline) {
                    delivered.set(listener.waitForNotifications(Duration.ofSeconds(5)));
                }
            });
            // The notification is sent once the listener is blocked in its wait, not before it.
            Await.until(Duration.ofSeconds(10), () -> isBlockedIn(waiter, "waitForNotifications"),
                    "the listener to block in waitForNotifications");
            sender.execute("SELECT pg_notify('orders', 'order 42')");
            waiter.join(Duration.ofSeconds(15));
            assertThat(waiter.isAlive()).isFalse();
            assertThat(delivered.get()).isEqualTo(1);
            assertThat(got).containsExactly(new PgNotification(sender.serverPid(), "orders", "order 42"));
            assertThat(listener.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    /** Whether {@code thread} is parked (a virtual thread's blocking read) inside {@code method}. */
    private static boolean isBlockedIn(Thread thread, String method) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && Arrays.stream(thread.getStackTrace()).anyMatch(e -> e.getMethodName().equals(method));
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
            // Only queries read from the listener's socket here: they must deliver both, in order,
            // and still return their own results.
            Await.until(Duration.ofSeconds(10), () -> {
                assertThat(listener.fetchVal("SELECT 2")).isEqualTo(2);
                return payloads.size() >= 2;
            }, "both notifications to be delivered by queries");
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
            List<String> markers = new CopyOnWriteArrayList<>();
            listener.addListener("marker", n -> markers.add(n.payload()));
            sender.execute("NOTIFY a, 'x'");
            sender.execute("NOTIFY b, 'y'");
            sender.execute("NOTIFY marker, 'z'");
            // Notifications arrive in commit order: once the marker is here, x and y would have been too.
            Await.until(Duration.ofSeconds(10), () -> {
                listener.waitForNotifications(Duration.ofMillis(100));
                return !markers.isEmpty();
            }, "the marker notification");
            assertThat(markers).containsExactly("z");
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
