package io.pgloom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay between a client and a server that misbehaves on command: it passes
 * bytes through, delays them, swallows them (a blackholed network: connections stay open, no
 * byte moves, new connections are accepted but hear nothing), resets every connection, truncates
 * a stream after some bytes, or corrupts bytes. For fault tests of clients; loopback only.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", server.port())) {
 *     PgConnection conn = PgConnection.connect(".../?host=127.0.0.1&port=" + proxy.port());
 *     proxy.blackhole();          // the next read waits forever, as on a dead network
 *     proxy.resetAll();           // every open connection gets a TCP RST
 *     proxy.pass();               // back to normal for new traffic
 * }
 * }</pre>
 *
 * <p>Thread-safe: the mode can change from any thread while traffic flows. Each connection is
 * relayed by two virtual threads, one per direction.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the relay does with the bytes it reads. */
    public enum Mode { PASS, DELAY, BLACKHOLE, TRUNCATE, CORRUPT }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final int socketBuffer;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong readsFromServer = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private volatile Duration delay = Duration.ZERO;
    private volatile long truncateAfter = Long.MAX_VALUE;
    private volatile boolean closed;

    private FaultProxy(String host, int port, int socketBuffer) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.socketBuffer = socketBuffer;
        this.listener = new ServerSocket();
        if (socketBuffer > 0) {
            listener.setReceiveBufferSize(socketBuffer);
        }
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("fault-proxy-accept-" + port()).start(this::acceptLoop);
    }

    /** Starts a relay on a free loopback port to {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        return start(host, port, 0);
    }

    /**
     * Starts a relay whose sockets have {@code socketBuffer}-byte send and receive buffers (0:
     * the system's), to make a client meet a full pipe early.
     */
    public static FaultProxy start(String host, int port, int socketBuffer) {
        try {
            return new FaultProxy(host, port, socketBuffer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the fault proxy", e);
        }
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** How many client connections were accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** How many client connections are open now. */
    public int openConnections() {
        return links.size();
    }

    /**
     * How many reads the relay has made from servers, over all connections. When a server's
     * sends are spaced apart (a statement that sleeps between them), each is one read, so this
     * counts the packets a request cost: a test of "one flush per query".
     */
    public long readsFromServer() {
        return readsFromServer.get();
    }

    /** Relays bytes as they come. */
    public void pass() {
        mode = Mode.PASS;
    }

    /** Holds each chunk for {@code d} before passing it on. */
    public void delay(Duration d) {
        delay = d;
        mode = Mode.DELAY;
    }

    /** Moves no byte any more, in either direction, and leaves every connection open. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Passes {@code bytes} more bytes of each stream, then closes both ends of that connection. */
    public void truncateAfter(long bytes) {
        truncateAfter = bytes;
        for (Link l : links) {
            l.budget.set(bytes);
        }
        mode = Mode.TRUNCATE;
    }

    /** Flips random bits in what passes, from now on. */
    public void corrupt() {
        mode = Mode.CORRUPT;
    }

    /** Resets every open connection (TCP RST to both sides); new ones are accepted as before. */
    public void resetAll() {
        for (Link l : links) {
            l.reset();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().name("fault-proxy-link").start(() -> open(client));
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger("io.pgloom.testing").log(System.Logger.Level.DEBUG, "fault proxy accept failed", e);
                }
            }
        }
    }

    private void open(Socket client) {
        Socket server = new Socket();
        try {
            if (socketBuffer > 0) {
                for (Socket s : new Socket[] {client, server}) {
                    s.setSendBufferSize(socketBuffer);
                    s.setReceiveBufferSize(socketBuffer);
                }
            }
            server.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        Link link = new Link(client, server);
        links.add(link);
        if (closed) {
            link.reset();
            return;
        }
        Thread.ofVirtual().name("fault-proxy-up").start(() -> link.pump(client, server));
        Thread.ofVirtual().name("fault-proxy-down").start(() -> link.pump(server, client));
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Link l : links) {
            l.reset();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One relayed connection. */
    private final class Link {
        final Socket client;
        final Socket server;
        final AtomicLong budget = new AtomicLong(truncateAfter);

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (from == server) {
                        readsFromServer.incrementAndGet();
                    }
                    Mode m = mode;
                    while (m == Mode.BLACKHOLE && !closed) {
                        Thread.sleep(10); // hold the bytes; the sockets stay open and silent
                        m = mode;
                    }
                    if (m == Mode.DELAY) {
                        Thread.sleep(delay);
                    } else if (m == Mode.CORRUPT) {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        buffer[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                    } else if (m == Mode.TRUNCATE) {
                        long left = budget.getAndAdd(-n);
                        if (left < n) {
                            out.write(buffer, 0, (int) Math.max(0, left));
                            out.flush();
                            break;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away, or we were reset
            }
            finish();
        }

        void finish() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }

        void reset() {
            for (Socket s : new Socket[] {client, server}) {
                try {
                    s.setSoLinger(true, 0); // close with RST
                } catch (SocketException ignored) {
                    // already closed
                }
            }
            finish();
        }
    }
}
