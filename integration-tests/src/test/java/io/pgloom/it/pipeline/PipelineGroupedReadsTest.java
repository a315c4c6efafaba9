package io.pgloom.it.pipeline;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Pipeline;
import io.pgloom.Row;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * conn.pipeline() outside a transaction: consecutive plain reads share one Sync, and each still
 * gets its own result or its own error; a failure makes the others run again, each alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineGroupedReadsTest {

    private static final String TX = "SELECT $1::int AS k, transaction_timestamp()::text AS tx";

    private static Set<String> transactionsOf(PgConnection conn, int reads, List<Integer> keys) {
        List<Pipeline.Result<Row>> rows = new ArrayList<>();
        try (Pipeline p = conn.pipeline()) {
            for (int i = 0; i < reads; i++) {
                rows.add(p.fetchRow(TX, i));
            }
        }
        Set<String> transactions = new HashSet<>();
        for (Pipeline.Result<Row> r : rows) {
            keys.add(r.get().get("k", Integer.class));
            transactions.add(r.get().get("tx", String.class));
        }
        return transactions;
    }

    @Test
    void readsInAPipelineShareOneTransactionUnlessSwitchedOff() {
        List<Integer> keys = new ArrayList<>();
        try (PgConnection conn = TestDb.connect()) {
            assertThat(transactionsOf(conn, 10, keys)).hasSize(1);
        }
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder().groupedReads(false).build())) {
            assertThat(transactionsOf(conn, 10, keys)).hasSize(10);
        }
        assertThat(keys).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aFailingReadFailsAloneAndTheOthersRunAgain() {
        try (PgConnection conn = TestDb.connect()) {
            List<Pipeline.Result<Integer>> values = new ArrayList<>();
            Pipeline.Result<Row> limited;
            Pipeline.Result<List<Row>> many;
            try (Pipeline p = conn.pipeline()) {
                for (int i = 0; i < 9; i++) {
                    values.add(i == 4 ? p.fetchVal(Integer.class, "SELECT 1 / ($1::int - $1::int)", i)
                            : p.fetchVal(Integer.class, "SELECT $1::int * 2", i));
                }
                limited = p.fetchRow("SELECT g FROM generate_series(1, 5) g ORDER BY g");
                many = p.fetch("SELECT g FROM generate_series(1, 3) g ORDER BY g");
            }
            for (int i = 0; i < 9; i++) {
                if (i == 4) {
                    Pipeline.Result<Integer> failed = values.get(i);
                    assertThatThrownBy(failed::get).isInstanceOf(PgException.class)
                            .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("22012"));
                } else {
                    assertThat(values.get(i).get()).isEqualTo(i * 2);
                }
            }
            assertThat(limited.get().get(0, Integer.class)).isEqualTo(1);
            // Its rows from the rolled-back run were dropped: each row once.
            assertThat(many.get()).extracting(r -> r.get(0, Integer.class)).containsExactly(1, 2, 3);
            assertThat(conn.isInTransaction()).isFalse();
        }
    }

    @Test
    void aWriteThroughAFunctionInAPipelinedSelectHappensExactlyOnce() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pl_writes (k int PRIMARY KEY)");
            conn.execute("CREATE FUNCTION pg_temp.pl_write(k int) RETURNS int LANGUAGE sql"
                    + " AS 'INSERT INTO pl_writes VALUES (k) RETURNING k'");
            List<Pipeline.Result<Integer>> writes = new ArrayList<>();
            Pipeline.Result<Integer> failed;
            try (Pipeline p = conn.pipeline()) {
                for (int i = 0; i < 3; i++) {
                    writes.add(p.fetchVal(Integer.class, "SELECT pg_temp.pl_write($1)", i));
                }
                failed = p.fetchVal(Integer.class, "SELECT 1 / ($1::int - $1::int)", 7);
                for (int i = 3; i < 6; i++) {
                    writes.add(p.fetchVal(Integer.class, "SELECT pg_temp.pl_write($1)", i));
                }
            }
            assertThatThrownBy(failed::get).isInstanceOf(PgException.class);
            for (int i = 0; i < 6; i++) {
                assertThat(writes.get(i).get()).isEqualTo(i);
            }
            assertThat(conn.fetch("SELECT k FROM pl_writes ORDER BY k")).extracting(r -> r.get(0, Integer.class))
                    .containsExactly(0, 1, 2, 3, 4, 5);
        }
    }
}
