package io.pgloom.internal.session;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.wire.Authentication;
import io.pgloom.internal.wire.ReadyForQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * require_auth (libpq 16) and the SCRAM hardening, against a fake server that offers what a
 * hostile or spoofed one would: a weaker method than required, no authentication at all, SCRAM
 * without its proof, or an iteration count that would cost minutes.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RequireAuthTest {

    /** What the fake server offers after the startup packet. */
    enum Offer { CLEARTEXT, MD5, PLAIN_SCRAM, IMMEDIATE_OK }

    private static Session connect(ConnectOptions options) {
        return Session.connect(options, options.endpoints().get(0), () -> {
            throw new AssertionError("no TLS here");
        }, false, new RecordingAsync());
    }

    /** Runs the offer; returns how many bytes the client sent after it (0: not a password byte). */
    private static long refusedAfter(Offer offer, ConnectOptions.Builder options, boolean answerSslRequest)
            throws Exception {
        AtomicLong sentAfterOffer = new AtomicLong(-1);
        try (FakeServer server = FakeServer.start(peer -> {
            if (answerSslRequest) {
                peer.readStartupPacket(); // the SSLRequest
                peer.sendRaw((byte) 'N');
            }
            peer.readStartupPacket();
            switch (offer) {
                case CLEARTEXT -> peer.send(new Authentication.CleartextPassword());
                case MD5 -> peer.send(new Authentication.Md5Password(new byte[] {1, 2, 3, 4}));
                case PLAIN_SCRAM -> peer.send(new Authentication.Sasl(List.of("SCRAM-SHA-256")));
                case IMMEDIATE_OK -> peer.send(new Authentication.Ok(), new ReadyForQuery((byte) 'I'));
            }
            sentAfterOffer.set(peer.countUntilClientClose());
        })) {
            ConnectionException e = catchThrowableOfType(ConnectionException.class,
                    () -> connect(options.port(server.endpoint().port()).build()).close());
            assertThat(e).as("refused: " + offer).isNotNull();
            assertThat(e.requestSent()).isFalse();
        }
        return sentAfterOffer.get();
    }

    private static ConnectOptions.Builder base() {
        return ConnectOptions.builder().host("127.0.0.1").user("u").database("d").password("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLEARTEXT", "MD5", "PLAIN_SCRAM", "IMMEDIATE_OK"})
    void scramWithChannelBindingRequiredRefusesEveryWeakerOfferWithoutSendingAPasswordByte(String offer)
            throws Exception {
        ConnectOptions.Builder options = base().sslMode(SslMode.PREFER).requireAuth("scram-sha-256")
                .channelBinding(ConnectOptions.ChannelBinding.REQUIRE);
        assertThat(refusedAfter(Offer.valueOf(offer), options, true)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLEARTEXT", "MD5", "IMMEDIATE_OK"})
    void requireAuthScramAloneRefusesCleartextMd5AndNoAuthentication(String offer) throws Exception {
        ConnectOptions.Builder options = base().sslMode(SslMode.DISABLE).requireAuth("scram-sha-256");
        assertThat(refusedAfter(Offer.valueOf(offer), options, false)).isZero();
    }

    @Test
    void negationsRefuseWhatTheyName() throws Exception {
        assertThat(refusedAfter(Offer.CLEARTEXT, base().sslMode(SslMode.DISABLE).requireAuth("!password"), false))
                .isZero();
        assertThat(refusedAfter(Offer.IMMEDIATE_OK, base().sslMode(SslMode.DISABLE).requireAuth("!none,!md5"), false))
                .isZero();
    }

    @Test
    void anAllowedMethodGoesThrough() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.CleartextPassword());
            received.set(peer.expectPassword());
            peer.send(new Authentication.Ok(), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            connect(server.options().password("secret").requireAuth("password,scram-sha-256").build()).close();
        }
        assertThat(received.get()).isEqualTo("secret");
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Ok(), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            connect(server.options().requireAuth("none").build()).close();
        }
    }

    @Test
    void badSpecificationsAreRefusedWhenTheOptionsAreBuilt() {
        assertThatThrownBy(() -> base().requireAuth("password,!md5")).isInstanceOf(PgException.class)
                .hasMessageContaining("mixed");
        assertThatThrownBy(() -> base().requireAuth("gss")).isInstanceOf(PgException.class)
                .hasMessageContaining("unknown method");
        assertThatThrownBy(() -> base().requireAuth("md5,md5")).isInstanceOf(PgException.class)
                .hasMessageContaining("twice");
        assertThat(ConnectOptions.fromUri("postgresql://u@h/d?require_auth=scram-sha-256").requireAuth())
                .isEqualTo("scram-sha-256");
        assertThat(ConnectOptions.fromUri("postgresql://u@h/d?scram_max_iterations=5000").scramMaxIterations())
                .isEqualTo(5000);
    }

    /** The server-first message a fake sends, extending the client's nonce. */
    private static byte[] serverFirst(ReadBuffer initialResponse, String iterations) {
        initialResponse.readCString(); // mechanism
        int length = initialResponse.readInt();
        String clientFirst = new String(initialResponse.readBytes(length), StandardCharsets.UTF_8);
        String nonce = clientFirst.substring(clientFirst.indexOf("r=") + 2);
        return ("r=" + nonce + "server,s=" + Base64.getEncoder().encodeToString(new byte[16]) + ",i=" + iterations)
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2000000000", "99999999999", "1000001"})
    void anIterationCountOverTheCapIsRefusedBeforeHashing(String iterations) throws Exception {
        AtomicLong after = new AtomicLong(-1);
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Sasl(List.of("SCRAM-SHA-256")));
            ReadBuffer first = peer.expect('p');
            peer.send(new Authentication.SaslContinue(serverFirst(first, iterations)));
            after.set(peer.countUntilClientClose());
        })) {
            long start = System.nanoTime();
            PgException e = catchThrowableOfType(PgException.class, () -> connect(server.options().password("pw").build()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).hasMessageContaining("scram_max_iterations").hasMessageContaining("1000000");
            assertThat(millis).as("refused after %d ms", millis).isLessThan(3_000);
        }
        assertThat(after.get()).as("bytes sent after server-first").isZero();
    }

    @Test
    void theCapIsConfigurable() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Sasl(List.of("SCRAM-SHA-256")));
            peer.send(new Authentication.SaslContinue(serverFirst(peer.expect('p'), "4096")));
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().password("pw").scramMaxIterations(1000).build()))
                    .isInstanceOf(PgException.class).hasMessageContaining("4096").hasMessageContaining("(1000)");
        }
    }

    @Test
    void scramEndedByAuthenticationOkWithoutTheServersProofIsRefused() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readStartupPacket();
            peer.send(new Authentication.Sasl(List.of("SCRAM-SHA-256")));
            peer.expect('p');
            peer.send(new Authentication.Ok(), new ReadyForQuery((byte) 'I'));
            peer.awaitClientClose();
        })) {
            assertThatThrownBy(() -> connect(server.options().password("pw").build()))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("without proving");
        }
    }
}
