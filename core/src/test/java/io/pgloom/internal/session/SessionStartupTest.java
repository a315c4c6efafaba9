package io.pgloom.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgloom.AuthenticationException;
import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.SslMode;
import io.pgloom.internal.wire.Authentication;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.CommandComplete;
import io.pgloom.internal.wire.ErrorResponse;
import io.pgloom.internal.wire.NegotiateProtocolVersion;
import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.ParameterStatus;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.SSLRequest;
import io.pgloom.internal.wire.StartupMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The start of a session against a fake server that does what a real one would not. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SessionStartupTest {

    private final RecordingAsync async = new RecordingAsync();
    private final AtomicBoolean tlsStarted = new AtomicBoolean();

    private Session connect(ConnectOptions options) {
        return Session.connect(options, options.endpoints().get(0), () -> {
            tlsStarted.set(true);
            throw new AssertionError("this test must not start TLS");
        }, false, async);
    }

    @Test
    void aServerOfProtocol30AnswersNegotiateProtocolVersionAndThe30SessionKeepsItsFourByteKey() throws Exception {
        AtomicReference<StartupMessage> startup = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            startup.set(peer.readStartupPacket());
            // PostgreSQL 17 and older, asked for 3.2:
            peer.send(new NegotiateProtocolVersion(0, List.of()), new Authentication.Ok(),
                    new BackendKeyData(42, new byte[]{1, 2, 3, 4}), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().build());
            try {
                assertThat(session.protocolMinorVersion()).isZero();
                assertThat(session.backendKey().secretKey()).hasSize(4);
            } finally {
                session.close();
            }
        }
        assertThat(startup.get().protocolVersion()).isEqualTo(StartupMessage.PROTOCOL_3_0 | 2);
    }

    @Test
    void aPoolerThatRefusesThe32StartupOutrightIsAskedAgainWith30() throws Exception {
        List<Integer> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeServer server = FakeServer.start(peer -> {
            asked.add(peer.readStartupPacket().protocolVersion());
            // PgBouncer 1.18 answers a 3.2 StartupMessage like this and hangs up
            peer.send(new ErrorResponse(Map.of('S', "FATAL", 'C', "08P01", 'M', "bad packet header: '0000004800030002'")));
        }, peer -> {
            asked.add(peer.readStartupPacket().protocolVersion());
            peer.send(new Authentication.Ok(), new BackendKeyData(1, new byte[]{1, 2, 3, 4}), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().build());
            try {
                assertThat(session.protocolMinorVersion()).isZero();
            } finally {
                session.close();
            }
        }
        assertThat(asked).containsExactly(StartupMessage.PROTOCOL_3_0 | 2, StartupMessage.PROTOCOL_3_0);
    }

    @Test
    void aServerThatOffersANewerVersionThanAskedForIsRefused() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new NegotiateProtocolVersion(3, List.of()));
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().build()))
                    .isInstanceOf(io.pgloom.PgException.class).hasMessageContaining("offered protocol 3.3");
        }
    }

    @Test
    void aThirtyTwoByteKeyAndNegotiateProtocolVersionAreAccepted() throws Exception {
        byte[] key = new byte[32];
        new Random(32).nextBytes(key);
        AtomicReference<StartupMessage> startup = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            startup.set(peer.readStartupPacket());
            // As a 3.2 server answers a 3.0 client asking for an option it does not know:
            peer.send(new NegotiateProtocolVersion(0, List.of("_pq_.unknown")), new Authentication.Ok(),
                    new ParameterStatus("server_version", "18.0"), new BackendKeyData(777, key),
                    new NegotiateProtocolVersion(2, List.of()),
                    new NoticeResponse(Map.of('S', "NOTICE", 'M', "welcome")),
                    new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().applicationName("app ✓").build());
            try {
                assertThat(session.state()).isEqualTo(SessionState.READY);
                assertThat(session.backendKey().secretKey()).hasSize(32).isEqualTo(key);
                assertThat(session.processId()).isEqualTo(777);
                assertThat(session.parameters()).containsEntry("server_version", "18.0");
                assertThat(session.transactionStatus()).isEqualTo((byte) 'I');
                assertThat(async.notices).extracting(n -> n.fields().get('M')).containsExactly("welcome");
            } finally {
                session.close();
            }
            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
        }
        assertThat(startup.get().protocolVersion()).as("3.2").isEqualTo(StartupMessage.PROTOCOL_3_0 | 2);
        assertThat(startup.get().parameters()).containsEntry("user", "u").containsEntry("database", "d")
                .containsEntry("client_encoding", "UTF8").containsEntry("application_name", "app ✓");
    }

    @Test
    void aMaximalTwoHundredFiftySixByteKeyIsAccepted() throws Exception {
        byte[] key = new byte[256];
        new Random(256).nextBytes(key);
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Ok(), new BackendKeyData(1, key), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().build());
            try {
                assertThat(session.backendKey().secretKey()).isEqualTo(key);
            } finally {
                session.close();
            }
        }
    }

    @Test
    void aServerThatStallsMidMessageDuringStartupHitsTheConnectTimeout() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Ok());
            peer.sendFirstBytes(7, new ParameterStatus("server_version", "17.5"));
            peer.awaitClientClose();
        })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> connect(server.options().connectTimeout(Duration.ofMillis(300)).build()))
                    .isInstanceOf(PgTimeoutException.class)
                    .hasMessageContaining("connect_timeout")
                    .hasMessageContaining("300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(server.awaitScript(Duration.ofSeconds(5))).as("the client closed its socket").isTrue();
        }
    }

    @Test
    void aServerThatStallsBeforeAuthenticatingHitsTheConnectTimeout() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().connectTimeout(Duration.ofMillis(200)).build()))
                    .isInstanceOf(PgTimeoutException.class);
        }
    }

    @Test
    void unencryptedBytesAfterTheSslAnswerAreRefused() throws Exception {
        // CVE-2021-23222: a man in the middle could inject replies before the TLS handshake.
        AtomicReference<StartupMessage> request = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            request.set(peer.readStartupPacket());
            byte[] injected = {'S', 'R', 0, 0, 0, 8, 0, 0, 0, 0, 'Z', 0, 0, 0, 5, 'I'};
            peer.sendRaw(injected);
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().sslMode(SslMode.REQUIRE).build()))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("unencrypted data after agreeing to TLS");
            assertThat(tlsStarted).isFalse();
        }
        assertThat(request.get().protocolVersion()).isEqualTo(SSLRequest.CODE);
        assertThat(request.get().parameters()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"78, does not accept TLS", "69, answered the SSLRequest with an error",
            "88, not 'S' or 'N'"})
    void anSslRequestRefusedUnderSslmodeRequireFails(int answer, String expected) throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.sendRaw((byte) answer);
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().sslMode(SslMode.REQUIRE).build()))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining(expected);
            assertThat(tlsStarted).isFalse();
        }
    }

    @Test
    void anSslRequestRefusedUnderSslmodePreferGoesOnInPlainText() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            assertThat(peer.readStartupPacket().protocolVersion()).isEqualTo(SSLRequest.CODE);
            peer.sendRaw((byte) 'N');
            peer.acceptStartup();
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().sslMode(SslMode.PREFER).build());
            try {
                assertThat(session.state()).isEqualTo(SessionState.READY);
            } finally {
                session.close();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"7, GSSAPI", "2, Kerberos V5", "9, SSPI"})
    void anUnsupportedAuthenticationMethodIsNamed(int code, String method) throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Unsupported(code));
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().build()))
                    .isInstanceOf(PgException.class)
                    .hasMessageContaining("asks for " + method + " authentication")
                    .hasMessageContaining("not support");
        }
    }

    @ParameterizedTest
    @CsvSource({"3, password", "5, md5", "10, SCRAM-SHA-256"})
    void aPasswordRequestWithoutAPasswordSaysSo(int code, String method) throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            switch (code) {
                case 3 -> peer.send(new Authentication.CleartextPassword());
                case 5 -> peer.send(new Authentication.Md5Password(new byte[]{1, 2, 3, 4}));
                default -> peer.send(new Authentication.Sasl(List.of("SCRAM-SHA-256")));
            }
            peer.awaitClientClose();
        })) {
            ConnectionException e = catchThrowableOfType(ConnectionException.class,
                    () -> connect(server.options().build()));
            assertThat(e).hasMessageContaining("asks user \"u\" for a password (" + method + " authentication)")
                    .hasMessageContaining("none was given");
            assertThat(e.requestSent()).isFalse();
        }
    }

    @Test
    void aCleartextPasswordIsSentWhenConfigured() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.CleartextPassword());
            received.set(peer.expectPassword());
            peer.send(new Authentication.Ok(), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().password("sécret").build());
            session.close();
        }
        assertThat(received.get()).isEqualTo("sécret");
    }

    @Test
    void anMd5PasswordIsSentHashedWithTheSalt() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Md5Password(new byte[]{9, 8, 7, 6}));
            received.set(peer.expectPassword());
            peer.send(new Authentication.Ok(), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            Session session = connect(server.options().password("pw").build());
            session.close();
        }
        assertThat(received.get()).matches("md5[0-9a-f]{32}").doesNotContain("pw");
    }

    @Test
    void aFatalErrorDuringAuthenticationIsAnAuthenticationException() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.CleartextPassword());
            peer.expectPassword();
            peer.send(new ErrorResponse(Map.of('S', "FATAL", 'V', "FATAL", 'C', "28P01",
                    'M', "password authentication failed for user \"u\"")));
            peer.hangUp();
        })) {
            AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                    () -> connect(server.options().password("wrong").build()));
            assertThat(e.sqlState()).isEqualTo("28P01");
            assertThat(e.requestSent()).isFalse();
        }
    }

    /**
     * A FATAL error before the first ReadyForQuery (too many connections, no such database) means
     * no request was sent: retrying elsewhere is safe.
     */
    @Test
    void aFatalErrorWhileConnectingSaysNoRequestWasSent() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new ErrorResponse(Map.of('S', "FATAL", 'V', "FATAL", 'C', "53300",
                    'M', "sorry, too many clients already")));
            peer.hangUp();
        })) {
            ConnectionException e = catchThrowableOfType(ConnectionException.class,
                    () -> connect(server.options().build()));
            assertThat(e.sqlState()).isEqualTo("53300");
            assertThat(e.requestSent()).isFalse();
        }
    }

    @Test
    void anErrorSeverityResponseWhileConnectingStillEndsTheConnection() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Ok(), new ErrorResponse(Map.of('S', "ERROR", 'V', "ERROR", 'C', "XX000",
                    'M', "odd")));
            peer.awaitClientClose();
        })) {
            ConnectionException e = catchThrowableOfType(ConnectionException.class,
                    () -> connect(server.options().build()));
            assertThat(e).hasMessageContaining("odd");
            assertThat(e.sqlState()).isEqualTo("XX000");
            assertThat(e.requestSent()).isFalse();
            assertThat(server.awaitScript(Duration.ofSeconds(5))).as("the client closed its socket").isTrue();
        }
    }

    @Test
    void aServerThatHangsUpDuringStartupIsAConnectionException() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.sendFirstBytes(3, new Authentication.Ok());
            peer.hangUp();
        })) {
            assertThatThrownBy(() -> connect(server.options().build()))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("could not connect to 127.0.0.1:" + server.port())
                    .hasMessageContaining("closed the connection");
        }
    }

    @Test
    void garbageDuringStartupIsAProtocolViolation() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.sendRaw((byte) 'H', (byte) 'T', (byte) 'T', (byte) 'P', (byte) '/', (byte) '1');
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().build()))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("protocol violation while connecting");
        }
    }

    @Test
    void anUnexpectedMessageBeforeReadyIsRefused() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Ok(), new CommandComplete("SELECT 1"));
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().build()))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("unexpected CommandComplete before the first ReadyForQuery");
        }
    }

    @Test
    void saslContinueBeforeSaslStartedIsRefused() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.SaslContinue("r=x".getBytes(StandardCharsets.US_ASCII)));
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().password("pw").build()))
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("SASLContinue before SASL started");
        }
    }
}
