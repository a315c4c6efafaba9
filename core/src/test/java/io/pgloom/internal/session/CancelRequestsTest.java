package io.pgloom.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgloom.ConnectOptions;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.CancelRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CancelRequest side connection, seen from a fake server. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CancelRequestsTest {

    @ParameterizedTest
    @ValueSource(ints = {4, 32, 256})
    void theRequestCarriesTheProcessIdAndTheWholeKey(int keyLength) throws Exception {
        byte[] key = new byte[keyLength];
        new Random(keyLength).nextBytes(key);
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            received.set(peer.readUntagged());
            peer.hangUp(); // as the server does once it has signalled the backend
        })) {
            assertThat(CancelRequests.send(server.endpoint(), new BackendKeyData(31337, key))).isTrue();
        }
        ByteBuffer b = ByteBuffer.wrap(received.get());
        assertThat(b.getInt()).isEqualTo(12 + keyLength);
        assertThat(b.getInt()).isEqualTo(CancelRequest.CODE);
        assertThat(b.getInt()).isEqualTo(31337);
        byte[] sentKey = new byte[b.remaining()];
        b.get(sentKey);
        assertThat(sentKey).isEqualTo(key);
    }

    @Test
    void withoutAKeyNothingIsSent() {
        assertThat(CancelRequests.send(new ConnectOptions.Endpoint("127.0.0.1", 1), null)).isFalse();
    }

    @Test
    void aServerThatCannotBeReachedIsReportedNotThrown() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        assertThat(CancelRequests.send(new ConnectOptions.Endpoint("127.0.0.1", port),
                new BackendKeyData(1, new byte[4]))).isFalse();
    }

    @Test
    void aServerThatNeverClosesTheCancelConnectionCostsAtMostTheTimeout() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.readUntagged();
            peer.awaitClientClose(); // reads the request, then neither answers nor closes
        })) {
            long start = System.nanoTime();
            var target = new CancelRequests.Target(server.endpoint(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.endpoint().port()), null,
                    java.time.Duration.ofMillis(300));
            assertThat(CancelRequests.send(target, new BackendKeyData(1, new byte[4]))).isFalse();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("returned after %d ms", millis).isBetween(250L, 3_000L);
        }
    }

    @Test
    void onATlsSessionTheCancelAsksForTlsFirstAndNeverSendsTheKeyInClear() throws Exception {
        AtomicReference<byte[]> first = new AtomicReference<>();
        AtomicReference<Long> after = new AtomicReference<>();
        try (FakeServer server = FakeServer.start(peer -> {
            first.set(peer.readUntagged());
            peer.sendRaw((byte) 'N'); // this server will not do TLS
            after.set(peer.countUntilClientClose());
        })) {
            var target = new CancelRequests.Target(server.endpoint(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.endpoint().port()),
                    new CancelRequests.Tls(() -> {
                        throw new AssertionError("no handshake after 'N'");
                    }, true, false), java.time.Duration.ofSeconds(2));
            assertThat(CancelRequests.send(target, new BackendKeyData(7, new byte[] {1, 2, 3, 4}))).isFalse();
        }
        ByteBuffer b = ByteBuffer.wrap(first.get());
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getInt()).as("SSLRequest code").isEqualTo(80877103);
        assertThat(after.get()).as("bytes sent after the refusal").isZero();
    }

    @Test
    void theSessionKeepsTheAddressItConnectedToForItsCancel() throws Exception {
        try (FakeServer server = FakeServer.start(peer -> {
            peer.acceptStartup();
            peer.awaitClientClose();
        })) {
            ConnectOptions options = server.options().host("localhost").build();
            Session session = Session.connect(options, options.endpoints().get(0), () -> {
                throw new AssertionError("no TLS here");
            }, false, new RecordingAsync());
            try {
                InetSocketAddress address = session.cancelTarget().address();
                assertThat(address.isUnresolved()).isFalse();
                assertThat(address.getAddress().isLoopbackAddress()).isTrue();
                assertThat(address.getPort()).isEqualTo(server.endpoint().port());
                assertThat(session.cancelTarget().tls()).isNull();
            } finally {
                session.close();
            }
        }
    }
}
