package io.pgloom.it.cursor;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.it.TestDb;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pool.cursor holds its connection until the cursor closes; a borrowed connection's cursor and prepare. */
class PoolCursorTest {

    record N(int n) {
    }

    private static PgPool pool(int size) {
        return PgPool.create(PoolOptions.builder().connectOptions(TestDb.options()).minSize(0).maxSize(size)
                .acquireTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void aPoolCursorHoldsItsConnectionUntilClosed() {
        try (PgPool pool = pool(1)) {
            long sum = 0;
            try (RowCursor cur = pool.cursor("SELECT generate_series(1, $1)", 5000)) {
                assertThatThrownBy(() -> pool.acquire(Duration.ZERO)).isInstanceOf(PgTimeoutException.class);
                for (Row row : cur) {
                    sum += row.get(0, Integer.class);
                }
                // Read to the end, but not closed: still borrowed.
                assertThatThrownBy(() -> pool.acquire(Duration.ZERO)).isInstanceOf(PgTimeoutException.class);
            }
            assertThat(sum).isEqualTo(5000L * 5001 / 2);
            assertThat(pool.fetchVal(Integer.class, "SELECT 1")).isEqualTo(1);

            // Closed early: the connection comes back and serves the next borrower.
            try (Stream<N> s = pool.stream(N.class, "SELECT generate_series(1, 1000000) AS n")) {
                assertThat(s.limit(2).toList()).containsExactly(new N(1), new N(2));
            }
            try (PgConnection conn = pool.acquire(Duration.ZERO)) {
                assertThat(conn.fetchVal(Integer.class, "SELECT 2")).isEqualTo(2);
            }
        }
    }

    @Test
    void aFailedPoolCursorGivesItsConnectionBack() {
        try (PgPool pool = pool(1)) {
            assertThatThrownBy(() -> pool.cursor("SELECT * FROM pool_cursor_missing")).isInstanceOf(PgException.class);
            try (RowCursor cur = pool.cursor("SELECT 1 / (2 - i) FROM generate_series(1, 3) i")) {
                assertThatThrownBy(() -> cur.forEach(r -> { })).extracting(e -> ((PgException) e).sqlState())
                        .isEqualTo("22012");
            }
            assertThat(pool.fetchVal(Integer.class, "SELECT 3")).isEqualTo(3);
            assertThat(pool.stats().toString()).isNotEmpty();
        }
    }

    @Test
    void aBorrowedConnectionOffersCursorsAndPreparedQueries() {
        try (PgPool pool = pool(1)) {
            try (PgConnection conn = pool.acquire()) {
                try (var q = conn.prepare("SELECT $1::int + 1")) {
                    assertThat(q.fetchVal(1)).isEqualTo(2);
                }
                try (RowCursor cur = conn.cursor(10, "SELECT generate_series(1, 100)")) {
                    assertThat(cur.stream().count()).isEqualTo(100);
                }
            }
        }
    }
}
