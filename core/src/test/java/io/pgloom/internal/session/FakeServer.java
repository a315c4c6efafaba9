package io.pgloom.internal.session;

import io.pgloom.ConnectOptions;
import io.pgloom.SslMode;
import io.pgloom.internal.io.BytesChannel;
import io.pgloom.internal.io.PgChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.Authentication;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.BackendMessage;
import io.pgloom.internal.wire.ParameterStatus;
import io.pgloom.internal.wire.Query;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.StartupMessage;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A PostgreSQL server for tests, scripted with the same wire records the client uses. It listens
 * on 127.0.0.1 at a free port, accepts one connection and runs its script on a virtual thread;
 * the script reads the client's messages and writes whatever bytes the test needs, including
 * ones a real server never sends (garbage, half a message, a stall).
 *
 * <pre>{@code
 * try (FakeServer server = FakeServer.start(peer -> {
 *     peer.acceptStartup();
 *     peer.expectQuery();
 *     peer.send(new CommandComplete("SELECT 0"), new ReadyForQuery((byte) 'I'));
 * })) {
 *     Session session = server.connect(server.options().build());
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} waits briefly for the script to finish, then closes the sockets, so a
 * stalled script stops too; it rethrows a failure of the script (an assertion about what the
 * client sent) unless that failure came from the close itself.
 */
final class FakeServer implements AutoCloseable {

    /** What the server does with the one connection it accepts. */
    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws Exception;
    }

    private static final Duration GRACE = Duration.ofSeconds(2);

    private final ServerSocketChannel listener;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Peer> peer = new AtomicReference<>();
    private volatile boolean closing;

    private FakeServer(List<Script> scripts) throws IOException {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = Thread.ofVirtual().name("fake-server-" + port()).start(() -> scripts.forEach(this::serve));
    }

    static FakeServer start(Script script) throws IOException {
        return new FakeServer(List.of(script));
    }

    /** A server that runs each script on the next connection it accepts, one after the other. */
    static FakeServer start(Script first, Script second) throws IOException {
        return new FakeServer(List.of(first, second));
    }

    private void serve(Script script) {
        if (failure.get() != null || closing) {
            return;
        }
        try (SocketChannel socket = listener.accept()) {
            Peer p = new Peer(socket);
            peer.set(p);
            script.run(p);
        } catch (Throwable t) {
            if (!closing) {
                failure.set(t);
            }
        }
    }

    int port() {
        return ((InetSocketAddress) listenerAddress()).getPort();
    }

    private java.net.SocketAddress listenerAddress() {
        try {
            return listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options that reach this server without TLS, as user "u" to database "d". */
    ConnectOptions.Builder options() {
        return ConnectOptions.builder().host("127.0.0.1").port(port()).user("u").database("d")
                .sslMode(SslMode.DISABLE);
    }

    ConnectOptions.Endpoint endpoint() {
        return new ConnectOptions.Endpoint("127.0.0.1", port());
    }

    /** Waits up to {@code timeout} for the script to end; true when it did. */
    boolean awaitScript(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    @Override
    public void close() throws Exception {
        thread.join(GRACE);
        closing = true;
        closeQuietly(listener);
        Peer p = peer.get();
        if (p != null) {
            closeQuietly(p.socket);
        }
        if (!thread.join(GRACE)) {
            throw new AssertionError("the fake server's script did not stop");
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the fake server's script failed: " + t, t);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The server's side of one connection. */
    static final class Peer {
        private static final ReadBuffer.LengthLimit FRONTEND_LIMIT = tag -> 16 * 1024 * 1024;

        final SocketChannel socket;
        private final PgChannel channel;
        private final ReadBuffer in = new ReadBuffer(1024);
        private final WriteBuffer out = new WriteBuffer(1024);

        Peer(SocketChannel socket) {
            this.socket = socket;
            this.channel = new PgChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    return socket.read(dst);
                }

                @Override
                public void write(ByteBuffer src) throws IOException {
                    while (src.hasRemaining()) {
                        socket.write(src);
                    }
                }

                @Override
                public boolean isTls() {
                    return false;
                }

                @Override
                public void close() {
                    closeQuietly(socket);
                }
            };
        }

        /**
         * Reads an untagged message (StartupMessage, SSLRequest, CancelRequest) straight off the
         * socket, so that nothing after it is buffered, and returns its whole bytes, length first.
         */
        byte[] readUntagged() throws IOException {
            ByteBuffer length = readExactly(4);
            int n = length.getInt(0);
            if (n < 8 || n > 10_000) {
                throw new IOException("untagged message of impossible length " + n);
            }
            ByteBuffer whole = ByteBuffer.allocate(n).put(length).put(readExactly(n - 4));
            return whole.array();
        }

        /** Reads a StartupMessage or SSLRequest (whose version is then {@code SSLRequest.CODE}). */
        StartupMessage readStartupPacket() throws IOException {
            byte[] untagged = readUntagged();
            byte[] tagged = new byte[untagged.length + 1];
            System.arraycopy(untagged, 0, tagged, 1, untagged.length);
            ReadBuffer body = new ReadBuffer(64);
            body.nextMessage(BytesChannel.whole(tagged), FRONTEND_LIMIT);
            return StartupMessage.decodeBody(body);
        }

        private ByteBuffer readExactly(int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                if (socket.read(b) < 0) {
                    throw new EOFException("the client closed the connection");
                }
            }
            return b.flip();
        }

        /** Reads the next tagged frontend message; its body is then in {@link #in()}. */
        byte next() throws IOException {
            return in.nextMessage(channel, FRONTEND_LIMIT);
        }

        ReadBuffer in() {
            return in;
        }

        /** Reads the next message and checks its tag. */
        ReadBuffer expect(char tag) throws IOException {
            byte t = next();
            if (t != tag) {
                throw new AssertionError("expected frontend message '" + tag + "' but got '" + (char) t + "'");
            }
            return in;
        }

        Query expectQuery() throws IOException {
            return Query.decode(expect('Q'));
        }

        /** Reads a PasswordMessage and returns what it carries. */
        String expectPassword() throws IOException {
            return expect('p').readCString();
        }

        /** Reads a StartupMessage, answers AuthenticationOk, a few settings, a key and ReadyForQuery. */
        StartupMessage acceptStartup() throws IOException {
            StartupMessage startup = readStartupPacket();
            int asked = startup.protocolVersion();
            if (asked != (StartupMessage.PROTOCOL_3_0 | StartupMessage.NEWEST_MINOR) && asked != StartupMessage.PROTOCOL_3_0) {
                throw new AssertionError("expected a StartupMessage for 3.2 or 3.0, got version " + asked);
            }
            send(new Authentication.Ok(), new ParameterStatus("server_version", "17.5"),
                    new ParameterStatus("client_encoding", "UTF8"), new BackendKeyData(4242, new byte[]{1, 2, 3, 4}),
                    new ReadyForQuery((byte) 'I'));
            return startup;
        }

        /** Encodes the messages into one write. */
        void send(BackendMessage... messages) throws IOException {
            out.reset();
            for (BackendMessage m : messages) {
                m.encode(out);
            }
            channel.write(out.flip());
        }

        /** Encodes the messages and sends only their first {@code n} bytes. */
        void sendFirstBytes(int n, BackendMessage... messages) throws IOException {
            out.reset();
            for (BackendMessage m : messages) {
                m.encode(out);
            }
            ByteBuffer all = out.flip();
            channel.write(all.limit(Math.min(n, all.limit())));
        }

        void sendRaw(byte... bytes) throws IOException {
            channel.write(ByteBuffer.wrap(bytes));
        }

        /** Waits, reading and dropping anything, until the client closes its end. */
        void awaitClientClose() throws IOException {
            ByteBuffer sink = ByteBuffer.allocate(1024);
            try {
                while (socket.read(sink) >= 0) {
                    sink.clear();
                }
            } catch (IOException closed) {
                // The client reset the connection: gone either way.
            }
        }

        /** Reads until the client closes its end; returns how many bytes came. */
        long countUntilClientClose() throws IOException {
            ByteBuffer sink = ByteBuffer.allocate(1024);
            long total = 0;
            try {
                for (int n; (n = socket.read(sink)) >= 0; sink.clear()) {
                    total += n;
                }
            } catch (IOException closed) {
                // The client reset the connection: gone either way.
            }
            return total;
        }

        /** Closes the server's end. */
        void hangUp() {
            closeQuietly(socket);
        }
    }
}
