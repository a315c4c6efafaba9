package io.pgloom.internal.io;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection TLS server on loopback for tests: accepts one client on a thread, runs the
 * TLS server handshake with {@link SSLSocket}, then hands the socket to a script.
 */
public final class TlsTestServer implements AutoCloseable {

    /** What the server does with its one connection; exceptions fail {@link #await()}. */
    @FunctionalInterface
    public interface Script {
        void run(SSLSocket socket, Socket raw) throws Exception;
    }

    private final ServerSocket listener;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * Starts listening. {@code configure} may set protocols, ALPN, client authentication on the
     * server's parameters; it may be null.
     */
    public TlsTestServer(SSLContext context, java.util.function.Consumer<SSLParameters> configure, Script script)
            throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("tls-test-server").start(() -> {
            try (Socket raw = listener.accept();
                 SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), false)) {
                tls.setUseClientMode(false);
                SSLParameters p = tls.getSSLParameters();
                if (configure != null) {
                    configure.accept(p);
                }
                tls.setSSLParameters(p);
                script.run(tls, raw);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
    }

    public int port() {
        return listener.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /** Waits for the script to end; rethrows what it threw. */
    public void await() throws Exception {
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
