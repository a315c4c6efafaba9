package io.pgloom.internal.io;

import io.pgloom.internal.io.TlsTestCertificates.Issued;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsChannelTest {

    private static Issued ca;
    private static Issued server;
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @BeforeAll
    static void certificates() {
        ca = TlsTestCertificates.ca("pgloom test CA");
        server = TlsTestCertificates.localhostServer(ca);
        serverContext = TlsTestCertificates.serverContext(List.of(server.certificate(), ca.certificate()), server.privateKey());
        clientContext = TlsTestCertificates.clientContext(ca.certificate());
    }

    private static TlsChannel connect(TlsTestServer peer, String host, boolean verifyHostName) throws IOException {
        return TlsChannel.handshake(PlainChannel.connectTcp(peer.address()), clientContext, host, peer.port(),
                verifyHostName, null, null);
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private static byte[] readFully(TlsChannel channel, int size, int readBufferSize) throws IOException {
        byte[] out = new byte[size];
        ByteBuffer buffer = ByteBuffer.allocate(readBufferSize);
        int at = 0;
        while (at < size) {
            buffer.clear().limit(Math.min(readBufferSize, size - at));
            int n = channel.read(buffer);
            assertThat(n).as("bytes read after %d of %d", at, size).isPositive();
            buffer.flip().get(out, at, n);
            at += n;
        }
        return out;
    }

    @Test
    void echoesOneByte() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            InputStream in = tls.getInputStream();
            tls.getOutputStream().write(in.read());
            tls.getOutputStream().flush();
            assertThat(in.read()).isEqualTo(-1); // our close_notify
        })) {
            try (TlsChannel channel = connect(peer, "localhost", true)) {
                assertThat(channel.isTls()).isTrue();
                assertThat(channel.session().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                channel.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer one = ByteBuffer.allocate(1);
                assertThat(channel.read(one)).isEqualTo(1);
                assertThat(one.get(0)).isEqualTo((byte) 42);
            }
            peer.await();
        }
    }

    @Test
    void movesFiveMegabytesEachWay() throws Exception {
        moveBothWays(5 * 1024 * 1024, 64 * 1024, null);
    }

    @Test
    void movesFiveMegabytesEachWayThroughASmallReadBuffer() throws Exception {
        moveBothWays(5 * 1024 * 1024, 1000, null);
    }

    @Test
    void movesDataOneByteAtATime() throws Exception {
        moveBothWays(50_000, 1, null);
    }

    @Test
    void worksOverTls12() throws Exception {
        moveBothWays(1024 * 1024, 8192, "TLSv1.2");
    }

    private void moveBothWays(int size, int readBufferSize, String onlyProtocol) throws Exception {
        byte[] payload = pattern(size);
        byte[] expectedDigest = MessageDigest.getInstance("SHA-256").digest(payload);
        try (TlsTestServer peer = new TlsTestServer(serverContext,
                p -> { if (onlyProtocol != null) p.setProtocols(new String[] {onlyProtocol}); },
                (tls, raw) -> {
                    byte[] received = new byte[size];
                    new DataInputStream(tls.getInputStream()).readFully(received);
                    assertThat(MessageDigest.getInstance("SHA-256").digest(received)).isEqualTo(expectedDigest);
                    OutputStream out = tls.getOutputStream();
                    out.write(payload);
                    out.flush();
                })) {
            try (TlsChannel channel = connect(peer, "localhost", true)) {
                if (onlyProtocol != null) {
                    assertThat(channel.session().getProtocol()).isEqualTo(onlyProtocol);
                }
                channel.write(ByteBuffer.wrap(payload));
                byte[] back = readFully(channel, size, readBufferSize);
                assertThat(MessageDigest.getInstance("SHA-256").digest(back)).isEqualTo(expectedDigest);
            }
            peer.await();
        }
    }

    @Test
    void hostNameCheckAcceptsNamesInTheCertificate() throws Exception {
        for (String host : List.of("localhost", "127.0.0.1")) {
            try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> tls.startHandshake());
                 TlsChannel channel = connect(peer, host, true)) {
                assertThat(channel.session().getPeerCertificates()[0]).isEqualTo(server.certificate());
                peer.await();
            }
        }
    }

    @Test
    void hostNameCheckRefusesANameNotInTheCertificate() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            try {
                tls.startHandshake();
            } catch (IOException expected) {
                // the client aborts the handshake
            }
        })) {
            PlainChannel plain = PlainChannel.connectTcp(peer.address());
            assertThatThrownBy(() -> TlsChannel.handshake(plain, clientContext, "db.example.com", peer.port(), true, null, null))
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("db.example.com");
            assertThat(plain.socketChannel().isOpen()).as("closed after a failed handshake").isFalse();
        }
    }

    @Test
    void withoutHostNameCheckAnyNameIsAccepted() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> tls.startHandshake());
             TlsChannel channel = connect(peer, "db.example.com", false)) {
            assertThat(channel.session().isValid()).isTrue();
            peer.await();
        }
    }

    @Test
    void refusesAnUntrustedCertificate() throws Exception {
        SSLContext trustsAnotherCa = TlsTestCertificates.clientContext(TlsTestCertificates.otherCa("other CA").certificate());
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            try {
                tls.startHandshake();
            } catch (IOException expected) {
                // the client aborts the handshake
            }
        })) {
            assertThatThrownBy(() -> TlsChannel.handshake(PlainChannel.connectTcp(peer.address()), trustsAnotherCa,
                    "localhost", peer.port(), false, null, null))
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void endPointHashIsSha256OfTheCertificateForSha256WithRsa() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> tls.startHandshake());
             TlsChannel channel = connect(peer, "localhost", true)) {
            assertThat(server.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(server.certificate().getEncoded());
            assertThat(channel.tlsServerEndPointHash()).isEqualTo(expected);
            peer.await();
        }
    }

    @Test
    void endPointHashFollowsTheSignatureHash() throws Exception {
        var ecdsa384 = TlsTestCertificates.issue("x", TlsTestCertificates.ec("secp384r1"), null, "SHA384withECDSA", List.of());
        assertThat(TlsEndPoint.hash(ecdsa384.certificate()))
                .isEqualTo(MessageDigest.getInstance("SHA-384").digest(ecdsa384.certificate().getEncoded()));

        var rsa512 = TlsTestCertificates.issue("x", TlsTestCertificates.rsa(), null, "SHA512withRSA", List.of());
        assertThat(TlsEndPoint.digestFor(rsa512.certificate())).isEqualTo("SHA-512");

        var sha1 = TlsTestCertificates.issue("x", TlsTestCertificates.rsa(), null, "SHA1withRSA", List.of());
        assertThat(TlsEndPoint.digestFor(sha1.certificate())).isEqualTo("SHA-256");

        var pss = TlsTestCertificates.issue("x", TlsTestCertificates.rsa(), null, "SHA384withRSAandMGF1", List.of());
        assertThat(pss.certificate().getSigAlgName()).isEqualToIgnoringCase("RSASSA-PSS");
        assertThat(TlsEndPoint.digestFor(pss.certificate())).isEqualTo("SHA-384");

        var ed25519 = TlsTestCertificates.issue("x", TlsTestCertificates.ed25519(), null, "Ed25519", List.of());
        assertThat(TlsEndPoint.hash(ed25519.certificate())).isNull();
    }

    @Test
    void refusesBytesReadBeforeTheHandshake() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> raw.getInputStream().read())) {
            PlainChannel plain = PlainChannel.connectTcp(peer.address());
            assertThatThrownBy(() -> TlsChannel.handshake(plain, clientContext, "localhost", peer.port(), true, null,
                    ByteBuffer.wrap(new byte[] {'E'})))
                    .isInstanceOf(SSLException.class).hasMessageContaining("CVE-2021-23222");
            assertThat(plain.socketChannel().isOpen()).isFalse();
            peer.await();
        }
    }

    @Test
    void acceptsAnEmptyAlreadyReadBuffer() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> tls.startHandshake());
             TlsChannel channel = TlsChannel.handshake(PlainChannel.connectTcp(peer.address()), clientContext,
                     "localhost", peer.port(), true, null, ByteBuffer.allocate(16).flip())) {
            assertThat(channel.session().isValid()).isTrue();
            peer.await();
        }
    }

    @Test
    void readReturnsMinusOneAfterThePeersCloseNotify() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            tls.getOutputStream().write(new byte[] {1, 2, 3});
            tls.close(); // close_notify
        })) {
            try (TlsChannel channel = connect(peer, "localhost", true)) {
                assertThat(readFully(channel, 3, 16)).containsExactly(1, 2, 3);
                assertThat(channel.read(ByteBuffer.allocate(16))).isEqualTo(-1);
                assertThat(channel.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            }
            peer.await();
        }
    }

    @Test
    void readReturnsMinusOneWhenTheSocketEndsWithoutCloseNotify() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            tls.getOutputStream().write(new byte[] {7});
            tls.getOutputStream().flush();
            raw.close(); // TCP FIN, no TLS alert
        })) {
            try (TlsChannel channel = connect(peer, "localhost", true)) {
                assertThat(readFully(channel, 1, 16)).containsExactly(7);
                assertThat(channel.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            }
            peer.await();
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            tls.startHandshake();
            tls.getInputStream().read(); // waits for the client's close
        })) {
            TlsChannel channel = connect(peer, "localhost", true);
            Thread closer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                channel.close();
            });
            assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(16))).isInstanceOf(IOException.class);
            closer.join();
            assertThatThrownBy(() -> channel.write(ByteBuffer.wrap(new byte[1]))).isInstanceOf(IOException.class);
            peer.await();
        }
    }

    @Test
    void negotiatesAlpnForDirectTls() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext,
                p -> p.setApplicationProtocols(new String[] {"postgresql"}), (tls, raw) -> tls.startHandshake());
             TlsChannel channel = TlsChannel.handshake(PlainChannel.connectTcp(peer.address()), clientContext,
                     "localhost", peer.port(), true, "postgresql", null)) {
            assertThat(channel.session().isValid()).isTrue();
            peer.await();
        }
    }

    @Test
    void refusesAServerThatIgnoresAlpn() throws Exception {
        try (TlsTestServer peer = new TlsTestServer(serverContext, null, (tls, raw) -> {
            try {
                tls.startHandshake();
                tls.getInputStream().read();
            } catch (IOException expected) {
                // the client hangs up
            }
        })) {
            assertThatThrownBy(() -> TlsChannel.handshake(PlainChannel.connectTcp(peer.address()), clientContext,
                    "localhost", peer.port(), true, "postgresql", null))
                    .isInstanceOf(SSLException.class).hasMessageContaining("ALPN");
        }
    }

    @Test
    void tellsHostNamesFromAddresses() {
        assertThat(TlsChannel.isDnsName("localhost")).isTrue();
        assertThat(TlsChannel.isDnsName("db.example.com")).isTrue();
        assertThat(TlsChannel.isDnsName("127.0.0.1")).isFalse();
        assertThat(TlsChannel.isDnsName("::1")).isFalse();
        assertThat(TlsChannel.isDnsName("[::1]")).isFalse();
    }
}
