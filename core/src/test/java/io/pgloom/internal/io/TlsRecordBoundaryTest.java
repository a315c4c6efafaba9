package io.pgloom.internal.io;

import io.pgloom.internal.io.TlsTestCertificates.Issued;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reply cut into two TLS records at every byte boundary, the records delivered in one TCP
 * write, in two, and cut mid-record, read through {@link TlsChannel} into the session's 16 KiB
 * buffer (records decrypt straight into it) and into a 7-byte one (records go through the
 * channel's own plaintext buffer): every byte must arrive once and in order, whatever path the
 * channel takes. The server is a fake one built on {@link SSLEngine}, since a real server (or
 * {@link javax.net.ssl.SSLSocket}) does not let a test choose where records and TCP writes end.
 */
class TlsRecordBoundaryTest {

    /** A reply as PostgreSQL sends one for a point select: RowDescription, DataRow, CommandComplete, ReadyForQuery. */
    private static final byte[] REPLY = reply();

    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @BeforeAll
    static void certificates() {
        Issued ca = TlsTestCertificates.ca("pgloom test CA");
        Issued server = TlsTestCertificates.localhostServer(ca);
        serverContext = TlsTestCertificates.serverContext(List.of(server.certificate(), ca.certificate()), server.privateKey());
        clientContext = TlsTestCertificates.clientContext(ca.certificate());
    }

    /** How the two records of one reply reach the socket. */
    private enum Delivery { ONE_WRITE, TWO_WRITES, CUT_MID_RECORD }

    @Test
    void aReplySplitIntoTwoRecordsAtEveryByteArrivesWhole() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serve(listener));
            InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
            try (TlsChannel channel = TlsChannel.handshake(PlainChannel.connectTcp(address), clientContext, "localhost",
                    address.getPort(), true, null, null)) {
                for (int cut = 0; cut <= REPLY.length; cut++) {
                    for (Delivery delivery : Delivery.values()) {
                        for (int readSize : new int[] {16 * 1024, 7}) {
                            channel.write(ByteBuffer.wrap(new byte[] {1}));
                            assertThat(readExactly(channel, REPLY.length, readSize))
                                    .as("reply cut at %d, %s, read %d bytes at a time", cut, delivery, readSize)
                                    .isEqualTo(REPLY);
                        }
                    }
                }
                // Then every cut at once, as a burst of records that are all waiting together.
                channel.write(ByteBuffer.wrap(new byte[] {2}));
                for (int cut = 0; cut <= REPLY.length; cut++) {
                    assertThat(readExactly(channel, REPLY.length, cut % 2 == 0 ? 16 * 1024 : 7))
                            .as("reply %d of the burst", cut).isEqualTo(REPLY);
                }
            }
            served.get(60, TimeUnit.SECONDS);
        }
    }

    private static byte[] readExactly(TlsChannel channel, int size, int readSize) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(readSize);
        while (got.size() < size) {
            buffer.clear().limit(Math.min(readSize, size - got.size()));
            int n = channel.read(buffer);
            if (n < 0) {
                throw new EOFException("end of stream after " + got.size() + " bytes");
            }
            got.write(buffer.array(), 0, n);
        }
        return got.toByteArray();
    }

    /** The server: answers each 1 with the reply cut every way in turn, a 2 with all cuts at once. */
    private static void serve(ServerSocketChannel listener) {
        try (SocketChannel socket = listener.accept()) {
            // Each write leaves at once, or Nagle would hold a second small write for the first's ACK.
            socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            EngineSide side = new EngineSide(serverContext.createSSLEngine(), socket);
            side.handshake();
            for (int cut = 0; cut <= REPLY.length; cut++) {
                for (Delivery delivery : Delivery.values()) {
                    for (int read = 0; read < 2; read++) {
                        assertThat(side.readByte()).isEqualTo(1);
                        byte[] first = side.record(0, cut);
                        byte[] records = concat(first, side.record(cut, REPLY.length));
                        switch (delivery) {
                            case ONE_WRITE -> side.send(records, 0, records.length);
                            case TWO_WRITES -> {
                                side.send(records, 0, first.length);
                                LockSupport.parkNanos(100_000);
                                side.send(records, first.length, records.length);
                            }
                            case CUT_MID_RECORD -> {
                                // Cut the ciphertext itself, at a point that moves with the cut.
                                int at = 1 + cut % (records.length - 1);
                                side.send(records, 0, at);
                                LockSupport.parkNanos(100_000);
                                side.send(records, at, records.length);
                            }
                        }
                    }
                }
            }
            assertThat(side.readByte()).isEqualTo(2);
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int cut = 0; cut <= REPLY.length; cut++) {
                burst.write(side.record(0, cut));
                burst.write(side.record(cut, REPLY.length));
            }
            side.send(burst.toByteArray(), 0, burst.size());
            assertThat(side.readByte()).as("the client's close_notify").isEqualTo(-1);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** A TLS server's side of one connection: an engine over a blocking socket, records made on demand. */
    private static final class EngineSide {
        private final SSLEngine engine;
        private final SocketChannel socket;
        private final ByteBuffer netIn = ByteBuffer.allocate(64 * 1024);
        private final ByteBuffer appIn = ByteBuffer.allocate(64 * 1024);

        EngineSide(SSLEngine engine, SocketChannel socket) {
            this.engine = engine;
            this.socket = socket;
            engine.setUseClientMode(false);
        }

        void handshake() throws IOException {
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> {
                        byte[] out = wrap(ByteBuffer.allocate(0));
                        send(out, 0, out.length);
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapOnce();
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        return;
                    }
                }
            }
        }

        /** One record holding {@code REPLY[from, to)}: an empty range makes an empty application-data record. */
        byte[] record(int from, int to) throws IOException {
            return wrap(ByteBuffer.wrap(REPLY, from, to - from));
        }

        private byte[] wrap(ByteBuffer plaintext) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult r = engine.wrap(plaintext, out);
            assertThat(r.getStatus()).isEqualTo(SSLEngineResult.Status.OK);
            assertThat(plaintext.hasRemaining()).isFalse();
            return Arrays.copyOf(out.array(), out.position());
        }

        void send(byte[] bytes, int from, int to) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes, from, to - from);
            while (b.hasRemaining()) {
                socket.write(b);
            }
        }

        /** The next plaintext byte from the client, or -1 at its close_notify or end of stream. */
        int readByte() throws IOException {
            while (appIn.position() == 0) {
                if (!unwrapOnce()) {
                    return -1;
                }
            }
            appIn.flip();
            int b = appIn.get();
            appIn.compact();
            return b;
        }

        /** Unwraps one record, reading the socket as needed; false when the client closed. */
        private boolean unwrapOnce() throws IOException {
            while (true) {
                netIn.flip();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                netIn.compact();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return false;
                }
                if (r.getStatus() == SSLEngineResult.Status.OK) {
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    }
                    return true;
                }
                assertThat(r.getStatus()).isEqualTo(SSLEngineResult.Status.BUFFER_UNDERFLOW);
                if (socket.read(netIn) < 0) {
                    return false;
                }
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] reply() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        message(b, 'T', "\u0000\u0002a\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0017\u0000\u0004\u0000\u0000\u0000\u0000"
                + "\u0000\u0001b\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0019\u00ff\u00ff\u0000\u0000\u0000\u0000\u0000\u0001");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200; i++) {
            text.append((char) ('a' + i % 26));
        }
        message(b, 'D', "\u0000\u0002\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u002a\u0000\u0000\u0000\u00c8" + text);
        message(b, 'C', "SELECT 1\u0000");
        message(b, 'Z', "I");
        return b.toByteArray();
    }

    private static void message(ByteArrayOutputStream b, char type, String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        b.write(type);
        int length = bytes.length + 4;
        b.write(length >>> 24);
        b.write(length >>> 16);
        b.write(length >>> 8);
        b.write(length);
        b.writeBytes(bytes);
    }
}
