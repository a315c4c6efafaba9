package io.pgloom.it.replicas;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.testing.PgServer;
import io.pgloom.testing.ReplicaSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Multi-host connection strings against a real primary and two streaming standbys:
 * target_session_attrs with libpq's rules, load_balance_hosts=random, and hosts that are down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiHostTest {

    private static ReplicaSet set;
    private static PgServer primary;
    private static PgServer standby1;
    private static PgServer standby2;

    @BeforeAll
    static void startReplicaSet() {
        set = ReplicaSet.builder().standbys(2).build().start();
        primary = set.primary();
        standby1 = set.standbys().get(0);
        standby2 = set.standbys().get(1);
    }

    @AfterAll
    static void stopReplicaSet() {
        if (set != null) {
            set.close();
        }
    }

    /** The port of the server a connection reached, as the server itself says. */
    private static int portOf(String uri) {
        try (PgConnection conn = PgConnection.connect(uri)) {
            return conn.fetchVal(Integer.class, "SELECT inet_server_port()");
        }
    }

    private static String uri(List<PgServer> hosts, String... params) {
        return ReplicaSet.uri(hosts, "pgloom", "pgloom", params);
    }

    @Test
    void eachTargetSessionAttrsPicksTheFirstHostThatFitsInOrder() {
        List<PgServer> hosts = List.of(standby1, primary, standby2);
        assertThat(portOf(uri(hosts))).as("default: any").isEqualTo(standby1.port());
        assertThat(portOf(uri(hosts, "target_session_attrs=any"))).isEqualTo(standby1.port());
        assertThat(portOf(uri(hosts, "target_session_attrs=read-write"))).isEqualTo(primary.port());
        assertThat(portOf(uri(hosts, "target_session_attrs=primary"))).isEqualTo(primary.port());
        assertThat(portOf(uri(hosts, "target_session_attrs=read-only"))).isEqualTo(standby1.port());
        assertThat(portOf(uri(hosts, "target_session_attrs=standby"))).isEqualTo(standby1.port());
        assertThat(portOf(uri(hosts, "target_session_attrs=prefer-standby"))).isEqualTo(standby1.port());

        List<PgServer> primaryFirst = List.of(primary, standby2, standby1);
        assertThat(portOf(uri(primaryFirst, "target_session_attrs=read-only"))).isEqualTo(standby2.port());
        assertThat(portOf(uri(primaryFirst, "target_session_attrs=standby"))).isEqualTo(standby2.port());
        assertThat(portOf(uri(primaryFirst, "target_session_attrs=prefer-standby")))
                .as("a standby later in the list beats the primary first in it").isEqualTo(standby2.port());
    }

    @Test
    void preferStandbyFallsBackToAnyServerAndTheStrictOnesFailNamingEachHost() {
        assertThat(portOf(uri(List.of(primary), "target_session_attrs=prefer-standby"))).isEqualTo(primary.port());
        assertThatThrownBy(() -> PgConnection.connect(uri(List.of(primary), "target_session_attrs=standby")).close())
                .isInstanceOf(PgException.class)
                .hasMessageContaining("target_session_attrs=standby").hasMessageContaining("not a standby");
        assertThatThrownBy(() -> PgConnection.connect(uri(List.of(standby1, standby2),
                "target_session_attrs=read-write")).close())
                .isInstanceOf(PgException.class).hasMessageContaining("is a standby")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }

    @Test
    void readOnlyAndReadWriteFollowDefaultTransactionReadOnlyOnAPrimary() {
        // libpq: read-write needs a server that is neither in recovery nor read-only by default;
        // a primary whose sessions default to read-only counts as read-only, not as a standby.
        String readOnlyByDefault = "options=-c%20default_transaction_read_only%3Don";
        List<PgServer> hosts = List.of(primary, standby1);
        assertThat(portOf(uri(hosts, readOnlyByDefault, "target_session_attrs=read-only"))).isEqualTo(primary.port());
        assertThat(portOf(uri(hosts, readOnlyByDefault, "target_session_attrs=primary"))).isEqualTo(primary.port());
        assertThatThrownBy(() -> PgConnection.connect(uri(hosts, readOnlyByDefault, "target_session_attrs=read-write")).close())
                .isInstanceOf(PgException.class).hasMessageContaining("read-only");
    }

    @Test
    void loadBalanceHostsRandomSpreadsConnectionsOverTheHostsThatFit() {
        int rounds = 300;
        List<PgServer> all = List.of(primary, standby1, standby2);
        Map<Integer, Integer> any = distribution(uri(all, "load_balance_hosts=random"), rounds);
        Map<Integer, Integer> standbys = distribution(uri(all, "load_balance_hosts=random",
                "target_session_attrs=standby"), rounds);
        Map<Integer, Integer> ordered = distribution(uri(all, "load_balance_hosts=disable"), 20);
        System.out.printf("load_balance_hosts=random over 3 hosts, %d connections: %s; standbys only: %s%n",
                rounds, any, standbys);
        // Expected 100 each (sd ~8) and 150 each (sd ~9): far from the bounds unless not random.
        assertThat(any).containsOnlyKeys(primary.port(), standby1.port(), standby2.port());
        assertThat(any.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
        assertThat(standbys).containsOnlyKeys(standby1.port(), standby2.port());
        assertThat(standbys.values()).allSatisfy(n -> assertThat(n).isBetween(105, 195));
        assertThat(ordered).containsOnlyKeys(primary.port());
    }

    private static Map<Integer, Integer> distribution(String uri, int rounds) {
        Map<Integer, Integer> counts = new TreeMap<>();
        ConnectOptions options = ConnectOptions.fromUri(uri);
        for (int i = 0; i < rounds; i++) {
            try (PgConnection conn = PgConnection.connect(options)) {
                counts.merge(conn.fetchVal(Integer.class, "SELECT inet_server_port()"), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void hostsThatRefuseOrNeverAnswerAreSkippedWithinConnectTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket()) {
            // accepts TCP connections (the kernel's backlog) but never says a word: a hung host
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            int refused;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                refused = closed.getLocalPort();
            }
            String uri = "postgresql://pgloom:pgloom@127.0.0.1:" + silent.getLocalPort() + ",127.0.0.1:" + refused
                    + ",localhost:" + standby1.port() + ",localhost:" + primary.port()
                    + "/pgloom?sslmode=disable&connect_timeout=2&target_session_attrs=read-write";
            long start = System.nanoTime();
            int port = portOf(uri);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("hung + refused + standby skipped, primary reached in %d ms (connect_timeout=2)%n", millis);
            assertThat(port).isEqualTo(primary.port());
            // one connect_timeout (2 s, libpq's minimum) for the hung host, the rest at once;
            // generous for a loaded box
            assertThat(millis).isBetween(1_900L, 7_000L);
        }
    }
}
