package io.pgloom.it.core;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** target_session_attrs picks among hosts by what each server is, as libpq does. */
class TargetSessionAttrsTest {

    static String uri(String hosts, String attrs, String extra) {
        return "postgresql://pgloom:pgloom@" + hosts + "/pgloom?sslmode=disable&target_session_attrs=" + attrs + extra;
    }

    static String here() {
        return "localhost:" + TestDb.server().port();
    }

    @ParameterizedTest
    @ValueSource(strings = {"any", "read-write", "primary", "prefer-standby"})
    void aWritablePrimaryMatches(String attrs) {
        try (PgConnection conn = PgConnection.connect(uri(here(), attrs, ""))) {
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void aPrimaryIsNotAStandby() {
        assertThatThrownBy(() -> PgConnection.connect(uri(here(), "standby", "")))
                .isInstanceOf(ConnectionException.class).hasMessageContaining("not a standby");
    }

    @Test
    void readOnlyByDefaultIsReadOnlyAndNotReadWrite() {
        String readOnly = "&options=-c%20default_transaction_read_only%3Don";
        try (PgConnection conn = PgConnection.connect(uri(here(), "read-only", readOnly))) {
            assertThat(conn.fetchVal("SHOW default_transaction_read_only")).isEqualTo("on");
        }
        assertThatThrownBy(() -> PgConnection.connect(uri(here(), "read-write", readOnly)))
                .isInstanceOf(ConnectionException.class).hasMessageContaining("read-only");
    }

    @Test
    void theFirstHostThatAnswersAndMatchesWins() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (PgConnection conn = PgConnection.connect(uri("localhost:" + dead + "," + here(), "read-write", ""))) {
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }
}
