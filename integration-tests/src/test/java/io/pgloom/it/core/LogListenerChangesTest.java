package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.PgNotice;
import io.pgloom.SessionChange;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a connection of its own, {@link SessionChange#LOG_LISTENERS} says whether the listeners
 * differ from the clean state's: a listener added and removed again is no change, one that stays
 * is, and {@code resetSession} takes it away.
 */
class LogListenerChangesTest {

    @Test
    void listenersCountAsAChangeOnlyWhileTheyDifferFromTheCleanState() {
        try (PgConnection conn = TestDb.connect()) {
            List<PgNotice> heard = new CopyOnWriteArrayList<>();
            Consumer<PgNotice> clean = heard::add;
            conn.addLogListener(clean);
            conn.markSessionClean();
            assertThat(conn.sessionChanges()).isEmpty();

            Consumer<PgNotice> extra = n -> heard.add(n);
            conn.addLogListener(extra);
            assertThat(conn.sessionChanges()).containsExactly(SessionChange.LOG_LISTENERS);
            conn.removeLogListener(extra);
            assertThat(conn.sessionChanges()).as("added and removed again").isEmpty();

            conn.removeLogListener(clean);
            assertThat(conn.sessionChanges()).as("one of the clean state's removed").containsExactly(SessionChange.LOG_LISTENERS);
            conn.addLogListener(clean);
            conn.addLogListener(extra);
            conn.resetSession();
            assertThat(conn.sessionChanges()).isEmpty();
            conn.execute("DO $$ BEGIN RAISE NOTICE 'once'; END $$");
            assertThat(heard).as("the clean state's listener only").hasSize(1);
        }
    }
}
