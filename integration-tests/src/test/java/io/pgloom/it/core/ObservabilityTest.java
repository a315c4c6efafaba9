package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.DataException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.QueryCanceledException;
import io.pgloom.QueryListener;
import io.pgloom.it.TestDb;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hooks for tracing, profiling and logging: QueryListener, JFR events, ping and notice levels. */
class ObservabilityTest {

    @Test
    void aQueryListenerHearsEveryQueryWithRowsErrorsAndThePid() {
        List<QueryListener.Query> heard = new CopyOnWriteArrayList<>();
        Instant before = Instant.now();
        try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder().queryListener(heard::add).build())) {
            conn.execute("CREATE TEMP TABLE ql(id int)");
            conn.executeMany("INSERT INTO ql VALUES ($1)", List.of(new Object[]{1}, new Object[]{2}));
            conn.execute("INSERT INTO ql VALUES ($1), ($2), ($3)", 3, 4, 5);
            assertThat(conn.fetch("SELECT * FROM ql WHERE id > $1", 1)).hasSize(4);
            assertThatThrownBy(() -> conn.fetchVal("SELECT 2 ^ $1", 1024)).isInstanceOf(DataException.class);
            conn.ping(Duration.ofSeconds(5));   // a health check is not a query the listener hears

            assertThat(heard).extracting(QueryListener.Query::sql).containsExactly(
                    "CREATE TEMP TABLE ql(id int)", "INSERT INTO ql VALUES ($1)",
                    "INSERT INTO ql VALUES ($1), ($2), ($3)", "SELECT * FROM ql WHERE id > $1", "SELECT 2 ^ $1");
            assertThat(heard).extracting(QueryListener.Query::rows).containsExactly(-1L, -1L, 3L, 4L, -1L);
            assertThat(heard).allSatisfy(q -> {
                assertThat(q.serverPid()).isEqualTo(conn.serverPid());
                assertThat(q.start()).isAfterOrEqualTo(before.minusMillis(1));
                assertThat(q.duration()).isPositive();
            });
            assertThat(heard.subList(0, 4)).allSatisfy(q -> assertThat(q.error()).isNull());
            assertThat(heard.get(4).error()).isInstanceOf(DataException.class);
        }
    }

    @Test
    void aFailingListenerDoesNotFailTheQuery() {
        ConnectOptions options = TestDb.options().toBuilder().queryListener(q -> {
            throw new IllegalStateException("listener bug");
        }).build();
        try (PgConnection conn = PgConnection.connect(options)) {
            assertThat(conn.fetchVal("SELECT 7")).isEqualTo(7);
        }
    }

    @Test
    void jfrRecordsQueryAndCancelEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pgloom.jfr");
        int pid;
        try (Recording recording = new Recording()) {
            recording.enable("io.pgloom.Query").withoutThreshold();
            recording.enable("io.pgloom.Cancel");
            recording.start();
            try (PgConnection conn = TestDb.connect()) {
                pid = conn.serverPid();
                conn.fetch("SELECT generate_series(1, $1)", 3);
                assertThatThrownBy(() -> conn.withTimeout(Duration.ofMillis(200)).execute("SELECT pg_sleep(10)"))
                        .isInstanceOf(QueryCanceledException.class);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> queries = events.stream().filter(e -> e.getEventType().getName().equals("io.pgloom.Query")).toList();
        assertThat(queries).anySatisfy(e -> {
            assertThat(e.getString("sql")).isEqualTo("SELECT generate_series(1, $1)");
            assertThat(e.getLong("rows")).isEqualTo(3);
            assertThat(e.getInt("serverPid")).isEqualTo(pid);
            assertThat(e.getString("error")).isNull();
            assertThat(e.getDuration()).isPositive();
        });
        assertThat(queries).anySatisfy(e -> {
            assertThat(e.getString("sql")).isEqualTo("SELECT pg_sleep(10)");
            assertThat(e.getString("sqlState")).isEqualTo("57014");
        });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("io.pgloom.Cancel")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getInt("serverPid")).isEqualTo(pid);
                    assertThat(e.getString("reason")).contains("command timeout");
                });
    }

    @Test
    void pingAnswersWithTheRoundTripAndFailsOnADeadConnection() {
        PgConnection conn = TestDb.connect();
        assertThat(conn.ping(Duration.ofSeconds(5))).isPositive().isLessThan(Duration.ofSeconds(5));
        try (PgConnection admin = TestDb.admin()) {
            admin.fetch("SELECT pg_terminate_backend($1)", conn.serverPid());
        }
        assertThatThrownBy(() -> conn.ping(Duration.ofSeconds(5))).isInstanceOf(PgException.class);
        assertThat(conn.isClosed()).isTrue();
        conn.close();
    }

    @Test
    void noticesLogAtDebugByDefaultAndAtTheChosenLevel() {
        Logger jul = Logger.getLogger("io.pgloom.notice");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Level saved = jul.getLevel();
        jul.addHandler(handler);
        jul.setLevel(Level.ALL);
        try {
            try (PgConnection conn = TestDb.connect()) {
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS nl(id int)");
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS nl(id int)");   // NOTICE: already exists, skipping
            }
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.FINE);
                assertThat(r.getMessage()).contains("already exists");
            });
            records.clear();
            try (PgConnection conn = PgConnection.connect(TestDb.options().toBuilder()
                    .noticeLogLevel(System.Logger.Level.INFO).build())) {
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS nl(id int)");
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS nl(id int)");
            }
            assertThat(records).singleElement().satisfies(r -> assertThat(r.getLevel()).isEqualTo(Level.INFO));
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(saved);
        }
    }
}
