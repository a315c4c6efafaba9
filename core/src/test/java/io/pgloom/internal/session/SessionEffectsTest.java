package io.pgloom.internal.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tag or SQL text says a statement may have left in the session. */
class SessionEffectsTest {

    @Test
    void everydayTagsChangeNothing() {
        for (String tag : new String[] {"SELECT 1", "INSERT 0 1", "UPDATE 3", "DELETE 0", "BEGIN", "COMMIT", "ROLLBACK",
                "SAVEPOINT", "RELEASE", "COPY 10", "FETCH 5", "MOVE 1", "CLOSE CURSOR", "UNLISTEN", "DEALLOCATE", "",
                "TRUNCATE TABLE", "LOCK TABLE", "ANALYZE", "NOTIFY"}) {
            assertThat(SessionEffects.ofTag(tag)).as(tag).isZero();
        }
    }

    @Test
    void sessionChangingTagsAreSeen() {
        assertThat(SessionEffects.ofTag("SET")).isEqualTo(SessionEffects.SETTINGS);
        assertThat(SessionEffects.ofTag("RESET")).isEqualTo(SessionEffects.SETTINGS);
        assertThat(SessionEffects.ofTag("LISTEN")).isEqualTo(SessionEffects.LISTEN);
        assertThat(SessionEffects.ofTag("PREPARE")).isEqualTo(SessionEffects.PREPARED_STATEMENTS);
        assertThat(SessionEffects.ofTag("DECLARE CURSOR")).isEqualTo(SessionEffects.CURSORS);
        assertThat(SessionEffects.ofTag("CREATE TABLE")).isEqualTo(SessionEffects.TEMPORARY_OBJECTS);
        assertThat(SessionEffects.ofTag("CREATE VIEW")).isEqualTo(SessionEffects.TEMPORARY_OBJECTS);
        assertThat(SessionEffects.ofTag("DO")).isEqualTo(SessionEffects.UNKNOWN);
        assertThat(SessionEffects.ofTag("CALL")).isEqualTo(SessionEffects.UNKNOWN);
    }

    @Test
    void theSqlTextShowsWhatNoTagDoes() {
        assertThat(SessionEffects.ofSql("SELECT pg_advisory_lock($1)")).isEqualTo(SessionEffects.ADVISORY_LOCKS);
        assertThat(SessionEffects.ofSql("select PG_TRY_ADVISORY_LOCK_SHARED(1)")).isEqualTo(SessionEffects.ADVISORY_LOCKS);
        assertThat(SessionEffects.ofSql("SELECT pg_advisory_xact_lock(1)")).as("ends with the transaction").isZero();
        assertThat(SessionEffects.ofSql("SELECT set_config('a.b', $1, false)")).isEqualTo(SessionEffects.SETTINGS);
        assertThat(SessionEffects.ofSql("SELECT 1 INTO TEMP t")).isEqualTo(SessionEffects.TEMPORARY_OBJECTS);
        assertThat(SessionEffects.ofSql("create temporary table t(x int)")).isEqualTo(SessionEffects.TEMPORARY_OBJECTS);
        assertThat(SessionEffects.ofSql("SELECT * FROM pg_temp.t")).isEqualTo(SessionEffects.TEMPORARY_OBJECTS);
    }

    @Test
    void wordsThatOnlyContainTempDoNot() {
        assertThat(SessionEffects.ofSql("SELECT temperature, template_id, attempt FROM readings WHERE id = $1")).isZero();
        assertThat(SessionEffects.ofSql("SELECT id, name FROM users WHERE id = $1")).isZero();
    }

    @Test
    void aStatementSeenBeforeGivesTheSameAnswerAsItsFirstScan() {
        String lock = new StringBuilder("SELECT pg_advisory_lock(").append(42).append(")").toString();
        assertThat(SessionEffects.ofSql(lock)).isEqualTo(SessionEffects.ADVISORY_LOCKS);
        String sameText = new String(lock.toCharArray()); // another instance: found by its text
        assertThat(SessionEffects.ofSql(sameText)).isEqualTo(SessionEffects.ADVISORY_LOCKS);
        assertThat(SessionEffects.ofSql("SELECT id FROM t WHERE id = $1")).isZero();
        assertThat(SessionEffects.ofSql("SELECT id FROM t WHERE id = $1")).isZero();
    }

    @Test
    void textTooLongToRememberIsScannedEveryTime() {
        String longText = "SELECT set_config('a.b', $1, false) " + "-- padding ".repeat(SessionEffects.SCANNED_TEXT_MAX / 10);
        assertThat(longText.length()).isGreaterThan(SessionEffects.SCANNED_TEXT_MAX);
        assertThat(SessionEffects.ofSql(longText)).isEqualTo(SessionEffects.SETTINGS);
        assertThat(SessionEffects.ofSql(longText)).isEqualTo(SessionEffects.scan(longText));
    }
}
