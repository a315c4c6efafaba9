package io.pgloom.it.pipeline;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Pipeline;
import io.pgloom.Row;
import io.pgloom.UniqueViolationException;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** conn.pipeline(): several statements in one round trip, each its own result or error; the atomic variant. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineScopeTest {

    /**
     * The statements a pipeline has not prepared before are prepared together, in one round
     * trip: a pipeline of new texts costs two round trips, not one per text plus one. A text the
     * server refuses gets its own error, also in a transaction, where the refusal aborts it.
     */
    @Test
    void newStatementsArePreparedTogetherInOneRoundTrip() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pl_new(id int PRIMARY KEY, name text)");
            long before = conn.roundTrips();
            Pipeline.Result<String> insert;
            Pipeline.Result<String> update;
            Pipeline.Result<Long> count;
            Pipeline.Result<Object> name;
            try (Pipeline p = conn.pipeline()) {
                insert = p.execute("INSERT INTO pl_new VALUES ($1, $2), ($3, $4)", 1, "one", 2, "two");
                update = p.execute("UPDATE pl_new SET name = upper(name) WHERE id = $1", 2);
                count = p.fetchVal(Long.class, "SELECT count(*) FROM pl_new");
                name = p.fetchVal("SELECT name FROM pl_new WHERE id = $1", 2);
            }
            assertThat(conn.roundTrips() - before).as("prepare all four, then run all four").isEqualTo(2);
            assertThat(insert.get()).isEqualTo("INSERT 0 2");
            assertThat(update.get()).isEqualTo("UPDATE 1");
            assertThat(count.get()).isEqualTo(2L);
            assertThat(name.get()).isEqualTo("TWO");

            before = conn.roundTrips();
            try (Pipeline p = conn.pipeline()) {
                count = p.fetchVal(Long.class, "SELECT count(*) FROM pl_new");
                name = p.fetchVal("SELECT name FROM pl_new WHERE id = $1", 1);
            }
            assertThat(conn.roundTrips() - before).as("all prepared already").isEqualTo(1);
            assertThat(name.get()).isEqualTo("one");

            Pipeline.Result<String> first;
            Pipeline.Result<Object> refused;
            Pipeline.Result<Object> after;
            try (var tx = conn.transaction()) {
                try (Pipeline p = conn.atomicPipeline()) {
                    first = p.execute("DELETE FROM pl_new WHERE id = $1 AND name <> $2", 1, "x");
                    refused = p.fetchVal("SELECT nme FROM pl_new");
                    after = p.fetchVal("SELECT $1::int * 3", 3);
                }
                assertThatThrownBy(refused::get).isInstanceOf(PgException.class)
                        .satisfies(e -> assertThat(((PgException) e).sqlState()).as("its own error").isEqualTo("42703"));
                assertThatThrownBy(first::get).isInstanceOf(PgException.class);
                assertThatThrownBy(after::get).isInstanceOf(PgException.class);
            }
            assertThat(conn.isInTransaction()).isFalse();
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pl_new")).as("nothing was deleted").isEqualTo(2L);
        }
    }

    @Test
    void eachStatementGetsItsOwnResultOrItsOwnError() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pl_items(id int PRIMARY KEY, name text)");
            conn.execute("INSERT INTO pl_items VALUES (1, 'one')");
            Pipeline.Result<String> dup;
            Pipeline.Result<String> ok;
            Pipeline.Result<List<Row>> rows;
            Pipeline.Result<Long> count;
            Pipeline.Result<Object> syntax;
            Pipeline.Result<Object> badArgs;
            Pipeline.Result<Row> none;
            try (Pipeline p = conn.pipeline()) {
                dup = p.execute("INSERT INTO pl_items VALUES ($1, $2)", 1, "again");
                ok = p.execute("INSERT INTO pl_items VALUES ($1, $2)", 2, "two");
                syntax = p.fetchVal("SELEC 1");
                rows = p.fetch("SELECT id, name FROM pl_items ORDER BY id");
                badArgs = p.fetchVal("SELECT $1::int + 1", "not a number");
                count = p.fetchVal(Long.class, "SELECT count(*) FROM pl_items");
                none = p.fetchRow("SELECT * FROM pl_items WHERE id = $1", 99);
                assertThat(ok.isDone()).isFalse();
                assertThatThrownBy(ok::get).hasMessageContaining("not synced");
            }
            assertThatThrownBy(dup::get).isInstanceOf(UniqueViolationException.class);
            assertThat(ok.get()).isEqualTo("INSERT 0 1");
            assertThatThrownBy(syntax::get).isInstanceOf(PgException.class)
                    .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("42601"));
            assertThat(rows.get()).extracting(r -> r.get("name", String.class)).containsExactly("one", "two");
            assertThatThrownBy(badArgs::get).isInstanceOf(PgException.class).hasMessageContaining("$1");
            assertThat(count.get()).isEqualTo(2L);
            assertThat(none.get()).isNull();
            // The connection is fine afterwards and was not left in a transaction.
            assertThat(conn.isInTransaction()).isFalse();
            assertThat(conn.fetchVal("SELECT 5")).isEqualTo(5);
        }
    }

    @Test
    void aHundredSelectsInOnePipelineComeBackInOrder() {
        try (PgConnection conn = TestDb.connect()) {
            for (int round = 0; round < 3; round++) {
                List<Pipeline.Result<Integer>> results = new ArrayList<>();
                try (Pipeline p = conn.pipeline()) {
                    for (int i = 0; i < 100; i++) {
                        results.add(p.fetchVal(Integer.class, "SELECT $1::int * 2", i));
                    }
                    p.sync();
                }
                for (int i = 0; i < 100; i++) {
                    assertThat(results.get(i).get()).isEqualTo(i * 2);
                }
            }
        }
    }

    @Test
    void atomicPipelineKeepsAllOrNothing() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pl_atomic(id int PRIMARY KEY)");
            Pipeline.Result<String> first;
            Pipeline.Result<String> failing;
            Pipeline.Result<String> after;
            try (Pipeline p = conn.atomicPipeline()) {
                first = p.execute("INSERT INTO pl_atomic VALUES ($1)", 1);
                failing = p.execute("INSERT INTO pl_atomic VALUES ($1)", 1);
                after = p.execute("INSERT INTO pl_atomic VALUES ($1)", 3);
            }
            assertThatThrownBy(failing::get).isInstanceOf(UniqueViolationException.class);
            assertThatThrownBy(first::get).hasMessageContaining("statement 2 of the atomic pipeline failed");
            assertThatThrownBy(after::get).hasMessageContaining("statement 2 of the atomic pipeline failed");
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pl_atomic")).isZero();

            try (Pipeline p = conn.atomicPipeline()) {
                first = p.execute("INSERT INTO pl_atomic VALUES ($1)", 1);
                after = p.execute("INSERT INTO pl_atomic VALUES ($1)", 2);
                p.sync();
                assertThat(first.get()).isEqualTo("INSERT 0 1");
                assertThat(after.get()).isEqualTo("INSERT 0 1");
            }
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pl_atomic")).isEqualTo(2L);
        }
    }

    @Test
    void atomicPipelineWithBadArgumentsSendsNothing() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pl_bad(id int PRIMARY KEY)");
            Pipeline.Result<String> good;
            Pipeline.Result<String> bad;
            try (Pipeline p = conn.atomicPipeline()) {
                good = p.execute("INSERT INTO pl_bad VALUES ($1)", 1);
                bad = p.execute("INSERT INTO pl_bad VALUES ($1)", 1, 2);
            }
            assertThatThrownBy(bad::get).hasMessageContaining("1 parameter");
            assertThatThrownBy(good::get).hasMessageContaining("not sent");
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pl_bad")).isZero();
        }
    }

    @Test
    void aFailedCommitFailsEveryStatementOfAnAtomicPipeline() {
        try (PgConnection conn = TestDb.connect()) {
            conn.execute("CREATE TEMP TABLE pl_parent(id int PRIMARY KEY)");
            conn.execute("CREATE TEMP TABLE pl_child(id int, parent int REFERENCES pl_parent DEFERRABLE INITIALLY DEFERRED)");
            Pipeline.Result<String> first;
            Pipeline.Result<String> orphan;
            try (Pipeline p = conn.atomicPipeline()) {
                first = p.execute("INSERT INTO pl_parent VALUES ($1)", 1);
                orphan = p.execute("INSERT INTO pl_child VALUES ($1, $2)", 1, 99);
            }
            // Both statements ran; the deferred check failed at the commit, so neither was kept.
            assertThatThrownBy(orphan::get).isInstanceOf(PgException.class)
                    .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("23503"));
            assertThatThrownBy(first::get).isInstanceOf(PgException.class);
            assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM pl_parent")).isZero();
            assertThat(conn.isInTransaction()).isFalse();
        }
    }
}
