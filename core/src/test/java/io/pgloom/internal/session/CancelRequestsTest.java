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
}
