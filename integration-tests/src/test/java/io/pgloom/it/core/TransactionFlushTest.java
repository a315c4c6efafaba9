package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;
import io.pgloom.Isolation;
import io.pgloom.it.TestDb;
import io.pgloom.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction's BEGIN rides with its first statement as Parse/Bind/Execute under that
 * statement's Sync, so the server answers both in one packet (as pgjdbc's BEGIN does): a simple
 * Query BEGIN would end with a ReadyForQuery of its own, one more packet and one more wake-up of
 * the client per transaction. Counted through a relay, with a statement that sleeps so that
 * separate packets cannot merge.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionFlushTest {

    /** What the transaction runs as, after a pause that keeps the server's packets apart. */
    private static final String SLOW = "SELECT current_setting('transaction_isolation') || ' '"
            + " || current_setting('transaction_read_only') || ' ' || $1::int FROM pg_sleep(0.05)";

    private static ConnectOptions through(FaultProxy proxy) {
        return TestDb.options().toBuilder().endpoints(List.of(new ConnectOptions.Endpoint("127.0.0.1", proxy.port()))).build();
    }

    @Test
    void beginAndTheFirstStatementComeBackInOnePacketAndCommitInAnother() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", TestDb.server().port());
             PgConnection conn = PgConnection.connect(through(proxy))) {
            assertThat(conn.fetchVal(String.class, SLOW, 0)).isEqualTo("read committed off 0"); // now prepared
            for (TransactionOptions options : List.of(TransactionOptions.DEFAULT,
                    TransactionOptions.builder().isolation(Isolation.SERIALIZABLE).readOnly(true).build())) {
                long before = proxy.readsFromServer();
                try (Transaction tx = conn.transaction(options)) {
                    assertThat(conn.fetchVal(String.class, SLOW, 1)).isEqualTo(
                            options.isolation() != null ? "serializable on 1" : "read committed off 1");
                    assertThat(conn.isInTransaction()).isTrue();
                    tx.commit();
                }
                assertThat(proxy.readsFromServer() - before).as("packets for BEGIN + statement, then COMMIT").isEqualTo(2);
                assertThat(conn.isInTransaction()).isFalse();
            }
        }
    }

    @Test
    void aFailingFirstStatementLeavesTheTransactionFailedAndTheConnectionUsable() {
        try (PgConnection conn = TestDb.connect()) {
            try (Transaction tx = conn.transaction()) {
                Throwable error = org.assertj.core.api.Assertions.catchThrowable(
                        () -> conn.fetchVal(Integer.class, "SELECT 1 / ($1::int - $1::int)", 3));
                assertThat(error).isInstanceOf(io.pgloom.PgException.class);
                assertThat(((io.pgloom.PgException) error).sqlState()).isEqualTo("22012");
                assertThat(conn.isInTransaction()).isTrue();
            }
            assertThat(conn.isInTransaction()).isFalse();
            assertThat(conn.fetchVal(Integer.class, "SELECT $1::int + 1", 41)).isEqualTo(42);
        }
    }
}
