package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

/** A primary and a streaming standby: replication, promotion after a crash, and rejoining. */
class ReplicaSetTest {

    @Test
    void standbyStreamsThenTakesOverAndTheOldPrimaryRejoinsAsItsStandby() {
        try (ReplicaSet set = ReplicaSet.builder().standbys(1).synchronous(true).build().start()) {
            PgServer first = set.primary();
            PgServer standby = set.standbys().get(0);
            assertThat(standby.port()).isNotEqualTo(first.port());
            try (PgConnection conn = PgConnection.connect(first.uri())) {
                conn.execute("CREATE TABLE replicated(id int PRIMARY KEY)");
                conn.execute("INSERT INTO replicated VALUES (1)");
            }
            try (PgConnection conn = PgConnection.connect(standby.uri())) {
                assertThat(conn.fetchVal("SELECT pg_is_in_recovery()")).isEqualTo(true);
                // synchronous replication: the commit was flushed on the standby; replay follows
                set.awaitReplay();
                assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM replicated")).isEqualTo(1L);
                assertThatThrownBy(() -> conn.execute("INSERT INTO replicated VALUES (2)"))
                        .isInstanceOf(PgException.class).hasMessageContaining("read-only");
            }

            set.kill(first);
            assertThat(first.isRunning()).isFalse();
            set.promote(standby);
            assertThat(set.primary()).isSameAs(standby);
            try (PgConnection conn = PgConnection.connect(standby.uri())) {
                assertThat(conn.fetchVal("SELECT pg_is_in_recovery()")).isEqualTo(false);
                conn.execute("INSERT INTO replicated VALUES (2)");
            }

            set.rejoinAsStandby(first);
            assertThat(set.standbys()).containsExactly(first);
            try (PgConnection conn = PgConnection.connect(standby.uri())) {
                conn.execute("INSERT INTO replicated VALUES (3)");
            }
            set.awaitReplay();
            try (PgConnection conn = PgConnection.connect(first.uri())) {
                assertThat(conn.fetchVal("SELECT pg_is_in_recovery()")).isEqualTo(true);
                assertThat(conn.fetchVal(Long.class, "SELECT count(*) FROM replicated")).isEqualTo(3L);
            }
            assertThat(set.uri("pgloom", "pgloom", "target_session_attrs=read-write"))
                    .isEqualTo("postgresql://pgloom:pgloom@localhost:" + first.port() + ",localhost:" + standby.port()
                            + "/pgloom?sslmode=disable&target_session_attrs=read-write");
        }
    }
}
