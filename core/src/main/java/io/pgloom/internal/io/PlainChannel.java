package io.pgloom.internal.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A blocking {@link SocketChannel} over TCP or a Unix-domain socket.
 *
 * <p>Blocking mode is deliberate: on a virtual thread a blocking read parks the thread in the
 * JDK's poller, which costs less than any event loop we could write, and the code stays
 * straight-line.
 */
public final class PlainChannel implements PgChannel {

    private final SocketChannel channel;

    private PlainChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects over TCP with no time limit. */
    public static PlainChannel connectTcp(InetSocketAddress address) throws IOException {
        return connectTcp(address, 0);
    }

    /**
     * Connects over TCP within {@code timeoutMillis} (0: no limit), with TCP_NODELAY since every
     * message we send is a complete request.
     */
    public static PlainChannel connectTcp(InetSocketAddress address, int timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (timeoutMillis > 0) {
                // The channel's socket adaptor is the JDK's one way to bound a blocking connect.
                ch.socket().connect(address, timeoutMillis);
            } else {
                ch.connect(address);
            }
            return new PlainChannel(ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Connects to {@code <directory>/.s.PGSQL.<port>}, the server's Unix-domain socket. */
    public static PlainChannel connectUnix(String directory, int port) throws IOException {
        SocketAddress address = UnixDomainSocketAddress.of(Path.of(directory, ".s.PGSQL." + port));
        SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        try {
            ch.connect(address);
            return new PlainChannel(ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    @Override
    public boolean isTls() {
        return false;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    /** The underlying socket channel, for a TLS layer to run over. */
    public SocketChannel socketChannel() {
        return channel;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing is best effort: the peer may already be gone.
        }
    }
}
