package io.pgloom.internal.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which statements may share a Sync with other callers' reads: plain reads only, as far as the text shows. */
class SessionChangesTest {

    @Test
    void plainReadsMayShareASync() {
        assertThat(SessionChanges.isPlainRead("SELECT id, name FROM users WHERE id = $1")).isTrue();
        assertThat(SessionChanges.isPlainRead("  -- a comment\n select 1")).isTrue();
        assertThat(SessionChanges.isPlainRead("/* c */ (SELECT 1) UNION (SELECT 2)")).isTrue();
        assertThat(SessionChanges.isPlainRead("VALUES (1), (2)")).isTrue();
        assertThat(SessionChanges.isPlainRead("TABLE users")).isTrue();
        // Names that merely contain an excluded word's letters are still reads.
        assertThat(SessionChanges.isPlainRead("SELECT halo_id, into_count FROM t")).isTrue();
    }

    /**
     * The verdict on a text is kept, and the kept one is the same as the first: asked twice, with
     * and without arguments (where only the latter may carry several statements), the answers
     * stay apart; a text longer than the limit is judged every time and never kept.
     */
    @Test
    void verdictsAreKeptPerTextAndStayRight() {
        String two = "SELECT 1; SELECT 2 /* verdictsAreKept */";
        for (int round = 0; round < 2; round++) {
            assertThat(SessionChanges.reason(two, false)).as("with arguments: one statement as far as it matters").isNull();
            assertThat(SessionChanges.reason(two, true)).contains("several statements");
            assertThat(SessionChanges.reason("SET search_path = x /* verdictsAreKept */", false)).contains("SET");
            assertThat(SessionChanges.reason("SELECT pg_advisory_lock(1) /* verdictsAreKept */", true)).contains("pg_advisory_lock");
            assertThat(SessionChanges.reason("SELECT $1::int /* verdictsAreKept */", false)).isNull();
        }
        String longText = "SELECT set_config('a.b', $1, false) " + "-- padding ".repeat(SessionChanges.JUDGED_TEXT_MAX / 10);
        assertThat(SessionChanges.reason(longText, false)).contains("set_config");
        assertThat(SessionChanges.isJudged(longText)).as("too long to keep").isFalse();
        assertThat(SessionChanges.isJudged(two)).isTrue();
    }

    @Test
    void writesLocksAndTransactionBoundFunctionsGoAlone() {
        assertThat(SessionChanges.isPlainRead("INSERT INTO t VALUES (1)")).isFalse();
        assertThat(SessionChanges.isPlainRead("UPDATE t SET a = 1")).isFalse();
        assertThat(SessionChanges.isPlainRead("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT * FROM t WHERE id = $1 FOR UPDATE")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT * FROM t FOR\n  SHARE")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT * FROM t FOR NO KEY UPDATE")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT * INTO\tcopy_of_t FROM t")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT nextval('s')")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT txid_current()")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT pg_current_xact_id()")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT pg_advisory_xact_lock(1)")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT pg_notify('c', 'x')")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT pg_sleep(1)")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT lo_create(0)")).isFalse();
        assertThat(SessionChanges.isPlainRead("SELECT set_config('a.b', 'c', true)")).isFalse();
        assertThat(SessionChanges.isPlainRead("SET search_path = x")).isFalse();
        assertThat(SessionChanges.isPlainRead(null)).isFalse();
    }
}
