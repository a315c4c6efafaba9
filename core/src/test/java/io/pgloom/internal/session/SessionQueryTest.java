package io.pgloom.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgloom.AdminShutdownException;
import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.ServerConnectionException;
import io.pgloom.UniqueViolationException;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.Bind;
import io.pgloom.internal.wire.BindComplete;
import io.pgloom.internal.wire.CommandComplete;
import io.pgloom.internal.wire.CopyData;
import io.pgloom.internal.wire.CopyDone;
import io.pgloom.internal.wire.CopyInResponse;
import io.pgloom.internal.wire.CopyOutResponse;
import io.pgloom.internal.wire.DataRow;
import io.pgloom.internal.wire.Describe;
import io.pgloom.internal.wire.EmptyQueryResponse;
import io.pgloom.internal.wire.ErrorResponse;
import io.pgloom.internal.wire.Execute;
import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.NotificationResponse;
import io.pgloom.internal.wire.ParameterDescription;
import io.pgloom.internal.wire.ParameterStatus;
import io.pgloom.internal.wire.Parse;
import io.pgloom.internal.wire.ParseComplete;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.RowDescription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.ThrowingConsumer;

/** Requests on a connected session, against a fake server that misbehaves on purpose. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SessionQueryTest {

    private static final RowDescription ONE_TEXT_COLUMN = new RowDescription(new RowDescription.Field[]{
            new RowDescription.Field("v", 0, (short) 0, 25, (short) -1, -1, (short) 0)});
    private static final ReadyForQuery IDLE = new ReadyForQuery((byte) 'I');

    private final RecordingAsync async = new RecordingAsync();

    private Session connect(FakeServer server) {
        ConnectOptions options = server.options().build();
        return Session.connect(options, options.endpoints().get(0), () -> {
            throw new AssertionError("no TLS here");
        }, false, async);
    }

    /** Starts a server that accepts the startup, then runs {@code script}. */
    private static FakeServer serverThat(ThrowingConsumer<FakeServer.Peer> script) throws Exception {
        return FakeServer.start(peer -> {
            peer.acceptStartup();
            try {
                script.accept(peer);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
    }

    @Test
    void aSimpleQueryReadsRowsAndAsyncMessagesUntilReady() throws Exception {
        AtomicReference<String> sql = new AtomicReference<>();
        try (FakeServer server = serverThat(peer -> {
            sql.set(peer.expectQuery().sql());
            peer.send(ONE_TEXT_COLUMN, DataRow.of("a".getBytes(StandardCharsets.UTF_8)),
                    new NoticeResponse(Map.of('S', "WARNING", 'M', "careful")),
                    new ParameterStatus("TimeZone", "Asia/Tokyo"),
                    new NotificationResponse(99, "ch", "payload"),
                    DataRow.of((byte[]) null), new CommandComplete("SELECT 2"), new ReadyForQuery((byte) 'T'));
            peer.expectQuery();
            peer.send(EmptyQueryResponse.INSTANCE, IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                assertThat(session.simpleQuery("SELECT 'ü𝄞'")).isEqualTo("SELECT 2");
                assertThat(session.transactionStatus()).isEqualTo((byte) 'T');
                assertThat(session.parameters()).containsEntry("TimeZone", "Asia/Tokyo");
                assertThat(async.notices).hasSize(1);
                assertThat(async.notifications).containsExactly(new NotificationResponse(99, "ch", "payload"));
                assertThat(session.simpleQuery("")).isEmpty();
                assertThat(session.state()).isEqualTo(SessionState.READY);
            } finally {
                session.close();
            }
        }
        assertThat(sql.get()).isEqualTo("SELECT 'ü𝄞'");
    }

    @Test
    void abortFromAnotherThreadEndsAQueryStalledMidMessage() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(ONE_TEXT_COLUMN);
            peer.sendFirstBytes(9, DataRow.of(new byte[100]));
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            Thread aborter = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                session.abort("aborted by the test");
            });
            long start = System.nanoTime();

            ConnectionException e = catchThrowableOfType(ConnectionException.class,
                    () -> session.simpleQuery("SELECT pg_sleep(1000)"));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150),
                    Duration.ofSeconds(5));
            assertThat(e).hasMessageContaining("aborted by the test");
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
            assertThat(session.brokenReason()).isEqualTo("aborted by the test");
            aborter.join();
            assertThat(server.awaitScript(Duration.ofSeconds(5))).as("the socket was closed").isTrue();
        }
    }

    @Test
    void anUnknownMessageTypeBreaksTheSessionAndEveryLaterCallSaysWhy() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(ONE_TEXT_COLUMN);
            peer.sendRaw((byte) '!', (byte) 0, (byte) 0, (byte) 0, (byte) 4);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);

            assertThatThrownBy(() -> session.simpleQuery("SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("protocol violation")
                    .hasMessageContaining("unexpected backend message type '!'");

            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
            assertEveryLaterCallSaysBroken(session, "protocol violation: unexpected backend message type '!'");
        }
    }

    @Test
    void aTruncatedMessageFollowedByAHangUpBreaksTheSession() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(ONE_TEXT_COLUMN);
            peer.sendFirstBytes(20, DataRow.of(new byte[64]));
            peer.hangUp();
        })) {
            Session session = connect(server);

            assertThatThrownBy(() -> session.simpleQuery("SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("the server closed the connection");

            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
            assertEveryLaterCallSaysBroken(session, "the server closed the connection");
        }
    }

    @Test
    void aMessageShorterThanItsFieldsIsAProtocolViolation() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            // CommandComplete whose tag has no terminator inside the declared length.
            peer.sendRaw((byte) 'C', (byte) 0, (byte) 0, (byte) 0, (byte) 8, (byte) 'S', (byte) 'E', (byte) 'L',
                    (byte) 'E', (byte) 'Z', (byte) 0, (byte) 0, (byte) 0, (byte) 5, (byte) 'I');
            peer.awaitClientClose();
        })) {
            Session session = connect(server);

            assertThatThrownBy(() -> session.simpleQuery("SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("protocol violation: unterminated string");
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
        }
    }

    @Test
    void aReadyForQueryWithAnUnknownStatusIsAProtocolViolation() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new CommandComplete("SELECT 0"));
            peer.sendRaw((byte) 'Z', (byte) 0, (byte) 0, (byte) 0, (byte) 5, (byte) 'Q');
            peer.awaitClientClose();
        })) {
            Session session = connect(server);

            assertThatThrownBy(() -> session.simpleQuery("SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("ReadyForQuery with unknown status");
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
        }
    }

    @Test
    void aMessageThatDoesNotBelongInAQueryIsAProtocolViolation() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new BackendKeyData(1, new byte[4]));
            peer.awaitClientClose();
        })) {
            Session session = connect(server);

            assertThatThrownBy(() -> session.simpleQuery("SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("unexpected BackendKeyData during a simple query");
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
        }
    }

    @Test
    void anErrorWithEveryFieldReachesTheCallerAndTheSessionStaysReady() throws Exception {
        Map<Character, String> fields = everyErrorField();
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new ErrorResponse(fields), new ReadyForQuery((byte) 'E'));
            peer.expectQuery();
            peer.send(new CommandComplete("ROLLBACK"), IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                UniqueViolationException e = catchThrowableOfType(UniqueViolationException.class,
                        () -> session.simpleQuery("INSERT INTO users VALUES (1)"));

                assertThat(e.isServerError()).isTrue();
                assertThat(e.severity()).isEqualTo("ERROR");
                assertThat(e.sqlState()).isEqualTo("23505");
                assertThat(e.serverMessage()).isEqualTo(fields.get('M'));
                assertThat(e.detail()).isEqualTo("Key (id)=(1) already exists.");
                assertThat(e.hint()).isEqualTo("Pick another id.");
                assertThat(e.position()).isEqualTo(17);
                assertThat(e.internalPosition()).isEqualTo(3);
                assertThat(e.internalQuery()).isEqualTo("SELECT internal()");
                assertThat(e.where()).isEqualTo("PL/pgSQL function f() line 3");
                assertThat(e.schema()).isEqualTo("public");
                assertThat(e.table()).isEqualTo("users");
                assertThat(e.column()).isEqualTo("id");
                assertThat(e.dataType()).isEqualTo("int4");
                assertThat(e.constraint()).isEqualTo("users_pkey");
                assertThat(e.file()).isEqualTo("nbtinsert.c");
                assertThat(e.line()).isEqualTo("666");
                assertThat(e.routine()).isEqualTo("_bt_check_unique");
                assertThat(e.fields()).isEqualTo(fields);
                assertThat(e.getMessage()).contains("ERROR: ", fields.get('M'), "[SQLSTATE 23505]");

                assertThat(session.state()).isEqualTo(SessionState.READY);
                assertThat(session.transactionStatus()).isEqualTo((byte) 'E');
                assertThat(session.simpleQuery("ROLLBACK")).isEqualTo("ROLLBACK");
                assertThat(session.transactionStatus()).isEqualTo((byte) 'I');
            } finally {
                session.close();
            }
        }
    }

    @Test
    void aFatalErrorMidQueryBreaksTheSessionWithoutWaitingForMore() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(ONE_TEXT_COLUMN, DataRow.of(new byte[]{'x'}), new ErrorResponse(Map.of('S', "FATAL",
                    'V', "FATAL", 'C', "57P01", 'M', "terminating connection due to administrator command")));
            // No ReadyForQuery and no hang-up: the client must not wait for either.
            peer.awaitClientClose();
        })) {
            Session session = connect(server);

            AdminShutdownException e = catchThrowableOfType(AdminShutdownException.class,
                    () -> session.simpleQuery("SELECT 1"));

            assertThat(e.sqlState()).isEqualTo("57P01");
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
            assertEveryLaterCallSaysBroken(session, "the server ended the session");
        }
    }

    @Test
    void anyOtherFatalErrorIsAServerConnectionException() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new ErrorResponse(Map.of('S', "PANIC", 'C', "XX000", 'M', "oops")));
            peer.hangUp();
        })) {
            Session session = connect(server);

            ServerConnectionException e = catchThrowableOfType(ServerConnectionException.class,
                    () -> session.simpleQuery("SELECT 1"));

            assertThat(e.severity()).isEqualTo("PANIC");
            assertThat(e.requestSent()).isTrue();
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
        }
    }

    @Test
    void copyToStdoutThroughASimpleQueryIsDrainedAndRefused() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new CopyOutResponse((byte) 0, new short[]{0}), new CopyData("1\n".getBytes()),
                    new CopyData("2\n".getBytes()), CopyDone.INSTANCE, new CommandComplete("COPY 2"), IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                assertThatThrownBy(() -> session.simpleQuery("COPY t TO STDOUT"))
                        .isInstanceOf(PgException.class).hasMessageContaining("copyFromQuery");
                assertThat(session.state()).isEqualTo(SessionState.READY);
            } finally {
                session.close();
            }
        }
    }

    /**
     * A COPY TO STDOUT that fails midway (a division by zero in its query) ends with an
     * ErrorResponse and then ReadyForQuery, like any other error: the session survives.
     */
    @Test
    void anErrorDuringCopyToStdoutLeavesTheSessionReady() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new CopyOutResponse((byte) 0, new short[]{0}), new CopyData("1\n".getBytes()),
                    new ErrorResponse(Map.of('S', "ERROR", 'V', "ERROR", 'C', "22012", 'M', "division by zero")),
                    IDLE);
            peer.expectQuery();
            peer.send(new CommandComplete("SELECT 1"), IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                PgException e = catchThrowableOfType(PgException.class,
                        () -> session.simpleQuery("COPY (SELECT 1/(x-2) FROM generate_series(1,3) x) TO STDOUT"));
                assertThat(e).isNotInstanceOf(ConnectionException.class);
                assertThat(e.sqlState()).isEqualTo("22012");
                assertThat(session.state()).isEqualTo(SessionState.READY);
                assertThat(session.simpleQuery("SELECT 1")).isEqualTo("SELECT 1");
            } finally {
                session.close();
            }
        }
    }

    @Test
    void copyFromStdinThroughASimpleQueryIsRefusedWithCopyFail() throws Exception {
        AtomicReference<String> copyFail = new AtomicReference<>();
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.send(new CopyInResponse((byte) 0, new short[]{0}));
            copyFail.set(peer.expect('f').readCString());
            peer.send(new ErrorResponse(Map.of('S', "ERROR", 'V', "ERROR", 'C', "57014",
                    'M', "COPY from stdin failed")), IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                PgException e = catchThrowableOfType(PgException.class, () -> session.simpleQuery("COPY t FROM STDIN"));
                assertThat(e).isNotInstanceOf(ConnectionException.class);
                assertThat(e.sqlState()).isEqualTo("57014");
                assertThat(session.state()).isEqualTo(SessionState.READY);
            } finally {
                session.close();
            }
        }
        assertThat(copyFail.get()).contains("COPY FROM STDIN is not supported");
    }

    @Test
    void prepareSendsParseDescribeSyncAndReadsTheDescription() throws Exception {
        AtomicReference<Parse> parse = new AtomicReference<>();
        AtomicReference<Describe> describe = new AtomicReference<>();
        try (FakeServer server = serverThat(peer -> {
            parse.set(Parse.decode(peer.expect('P')));
            describe.set(Describe.decode(peer.expect('D')));
            peer.expect('S');
            peer.send(ParseComplete.INSTANCE, new ParameterDescription(new int[]{23, 25}), ONE_TEXT_COLUMN, IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                PreparedStatement p = session.prepare("s1", "SELECT $1::int, $2");
                assertThat(p.name()).isEqualTo("s1");
                assertThat(p.parameterOids()).containsExactly(23, 25);
                assertThat(p.columns()).containsExactly(ONE_TEXT_COLUMN.fields());
                assertThat(p.returnsRows()).isTrue();
            } finally {
                session.close();
            }
        }
        assertThat(parse.get().name()).isEqualTo("s1");
        assertThat(parse.get().sql()).isEqualTo("SELECT $1::int, $2");
        assertThat(parse.get().parameterOids()).isEmpty();
        assertThat(describe.get()).isEqualTo(Describe.statement("s1"));
    }

    @Test
    void prepareWithoutAParameterDescriptionIsAProtocolViolation() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expect('P');
            peer.expect('D');
            peer.expect('S');
            peer.send(ParseComplete.INSTANCE, ONE_TEXT_COLUMN, IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);

            assertThatThrownBy(() -> session.prepare("", "SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("no ParameterDescription");
            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
        }
    }

    @Test
    void executeSendsBindExecuteSyncAndHandsEachRowToTheSink() throws Exception {
        AtomicReference<Bind> bind = new AtomicReference<>();
        AtomicReference<Execute> execute = new AtomicReference<>();
        DataRow first = DataRow.of("1".getBytes(StandardCharsets.UTF_8), null);
        DataRow second = DataRow.of(new byte[300_000], "𝄞".getBytes(StandardCharsets.UTF_8));
        try (FakeServer server = serverThat(peer -> {
            bind.set(Bind.decode(peer.expect('B')));
            execute.set(Execute.decode(peer.expect('E')));
            peer.expect('S');
            peer.send(BindComplete.INSTANCE, first, second, new CommandComplete("SELECT 2"), IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            List<byte[]> rows = new ArrayList<>();
            try {
                String tag = session.execute("s1", new short[]{1}, values(new byte[]{0, 0, 0, 7}, null),
                        new short[]{1}, row -> rows.add(Arrays.copyOfRange(row.bytes(), row.offset(),
                                row.offset() + row.length())));
                assertThat(tag).isEqualTo("SELECT 2");
            } finally {
                session.close();
            }
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).isEqualTo(Arrays.copyOfRange(first.bytes(), first.offset(),
                    first.offset() + first.length()));
            assertThat(rows.get(1)).isEqualTo(Arrays.copyOfRange(second.bytes(), second.offset(),
                    second.offset() + second.length()));
        }
        assertThat(bind.get().portal()).isEmpty();
        assertThat(bind.get().statement()).isEqualTo("s1");
        assertThat(bind.get().parameterFormats()).containsExactly((short) 1);
        assertThat(bind.get().values().length).isEqualTo(2);
        assertThat(bind.get().values()[0]).containsExactly(0, 0, 0, 7);
        assertThat(bind.get().values()[1]).isNull();
        assertThat(bind.get().resultFormats()).containsExactly((short) 1);
        assertThat(execute.get()).isEqualTo(new Execute("", 0));
    }

    @Test
    void aBatchWithAnErrorInTheMiddleThrowsItAndStaysReady() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            for (int i = 0; i < 3; i++) {
                peer.expect('B');
                peer.expect('E');
            }
            peer.expect('S');
            peer.send(BindComplete.INSTANCE, new CommandComplete("INSERT 0 1"), BindComplete.INSTANCE,
                    new ErrorResponse(Map.of('S', "ERROR", 'V', "ERROR", 'C', "23505", 'M', "duplicate")), IDLE);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            try {
                assertThatThrownBy(() -> session.executeBatch("ins", new short[0],
                        List.of(values(new byte[]{1}), values(new byte[]{1}), values(new byte[]{2})), new short[0]))
                        .isInstanceOf(UniqueViolationException.class);
                assertThat(session.state()).isEqualTo(SessionState.READY);
            } finally {
                session.close();
            }
        }
    }

    @Test
    void closeOfABrokenSessionKeepsTheReason() throws Exception {
        try (FakeServer server = serverThat(peer -> {
            peer.expectQuery();
            peer.sendRaw((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 4);
            peer.awaitClientClose();
        })) {
            Session session = connect(server);
            assertThatThrownBy(() -> session.simpleQuery("SELECT 1")).isInstanceOf(ConnectionException.class);
            String reason = session.brokenReason();

            session.close();

            assertThat(session.state()).isEqualTo(SessionState.BROKEN);
            assertThat(session.brokenReason()).isEqualTo(reason).contains("0x00");
        }
    }

    @Test
    void aClosedSessionRefusesRequests() throws Exception {
        AtomicReference<Byte> terminate = new AtomicReference<>();
        try (FakeServer server = serverThat(peer -> terminate.set(peer.next()))) {
            Session session = connect(server);
            session.close();

            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
            assertThatThrownBy(() -> session.simpleQuery("SELECT 1"))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("the connection is closed");
            assertThat(server.awaitScript(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(terminate.get()).as("Terminate").isEqualTo((byte) 'X');
    }

    private static void assertEveryLaterCallSaysBroken(Session session, String reason) {
        List<ThrowingCall> calls = List.of(
                () -> session.simpleQuery("SELECT 1"),
                () -> session.prepare("", "SELECT 1"),
                () -> session.execute("", new short[0], values(), new short[0], RowSink.DISCARD),
                () -> session.executeBatch("", new short[0], List.of(values()), new short[0]));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("the connection is broken: ")
                    .hasMessageContaining(reason);
        }
        assertThat(session.isUsable()).isFalse();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object run();
    }

    private static Bind.Values values(byte[]... values) {
        return new Bind.Values() {
            @Override
            public int count() {
                return values.length;
            }

            @Override
            public boolean write(int index, WriteBuffer out) {
                if (values[index] == null) {
                    return false;
                }
                out.writeBytes(values[index]);
                return true;
            }
        };
    }

    /** Every field code PostgreSQL documents for ErrorResponse, each with a distinct value. */
    private static Map<Character, String> everyErrorField() {
        Map<Character, String> f = new HashMap<>();
        f.put('S', "ERREUR");
        f.put('V', "ERROR");
        f.put('C', "23505");
        f.put('M', "duplicate key value violates unique constraint \"users_pkey\" 😀");
        f.put('D', "Key (id)=(1) already exists.");
        f.put('H', "Pick another id.");
        f.put('P', "17");
        f.put('p', "3");
        f.put('q', "SELECT internal()");
        f.put('W', "PL/pgSQL function f() line 3");
        f.put('s', "public");
        f.put('t', "users");
        f.put('c', "id");
        f.put('d', "int4");
        f.put('n', "users_pkey");
        f.put('F', "nbtinsert.c");
        f.put('L', "666");
        f.put('R', "_bt_check_unique");
        return f;
    }
}
