package io.pgloom.internal.session;

import io.pgloom.ConnectOptions;
import io.pgloom.internal.io.PgChannel;
import io.pgloom.internal.io.PlainChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.TlsChannel;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.CancelRequest;
import io.pgloom.internal.wire.SSLRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Sends a CancelRequest on a short side connection, as the protocol requires: the server reads
 * it, signals the backend, and closes the side connection without a reply.
 *
 * <p>The side connection goes to the very address the session connected to (a host name that
 * resolves to several addresses could otherwise reach another server), within a time limit (the
 * caller's query must not wait on a silent network), and over TLS when the session uses TLS
 * (PostgreSQL reads a CancelRequest after an SSLRequest, so the key never travels in clear).
 */
public final class CancelRequests {

    private static final System.Logger LOG = System.getLogger("io.pgloom.session");

    /** The limit when the connection has no connect timeout: a cancel must never hang. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private CancelRequests() {
    }

    /**
     * Where and how to send a session's CancelRequest.
     *
     * @param address the resolved address the session connected to; null for a Unix socket
     * @param tls how to wrap the side connection in TLS, or null when the session is plain
     * @param timeout the limit for the whole exchange: connect, TLS, write, and the server's close
     */
    public record Target(ConnectOptions.Endpoint endpoint, InetSocketAddress address, Tls tls, Duration timeout) {
        public Target {
            timeout = timeout == null || timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
        }
    }

    /** The TLS settings of the session, so the cancel verifies the server as the session did. */
    public record Tls(Supplier<SSLContext> context, boolean verifyHostName, boolean direct) {
    }

    /**
     * Sends to {@code endpoint}, resolving its name now, in plain text: for tests and callers
     * without a session.
     */
    public static boolean send(ConnectOptions.Endpoint endpoint, BackendKeyData key) {
        InetSocketAddress address = endpoint.isUnixSocket() ? null
                : new InetSocketAddress(endpoint.connectTo(), endpoint.port());
        return send(new Target(endpoint, address, null, DEFAULT_TIMEOUT), key);
    }

    /**
     * Asks the server to cancel whatever the backend with {@code key} is running. Best effort:
     * failures are logged, since the caller's query ends either way.
     *
     * @return true when the request was delivered
     */
    public static boolean send(Target target, BackendKeyData key) {
        if (key == null) {
            return false;
        }
        AtomicReference<PgChannel> open = new AtomicReference<>();
        boolean[] expired = {false};
        ScheduledFuture<?> watchdog = Timers.schedule(target.timeout(), () -> {
            expired[0] = true;
            PgChannel c = open.get();
            if (c != null) {
                c.close();
            }
        });
        try {
            ConnectOptions.Endpoint endpoint = target.endpoint();
            PlainChannel plain = target.address() == null ? PlainChannel.connectUnix(endpoint.host(), endpoint.port())
                    : PlainChannel.connectTcp(target.address(), (int) Math.max(1, target.timeout().toMillis()));
            PgChannel channel = register(open, plain, expired);
            if (target.tls() != null) {
                channel = register(open, startTls(plain, target), expired);
            }
            WriteBuffer out = new WriteBuffer(16 + key.secretKey().length);
            new CancelRequest(key.processId(), key.secretKey()).encode(out);
            channel.write(out.flip());
            // Wait for the server to close its end: then the cancel has been handed to the backend.
            ByteBuffer sink = ByteBuffer.allocate(256);
            while (channel.read(sink) >= 0) {
                sink.clear();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            String why = expired[0] ? " (no answer within " + target.timeout().toMillis() + " ms)" : "";
            LOG.log(System.Logger.Level.WARNING, "cancel request for backend " + key.processId() + " failed" + why, e);
            return false;
        } finally {
            watchdog.cancel(false);
            PgChannel c = open.get();
            if (c != null) {
                c.close();
            }
        }
    }

    private static PgChannel register(AtomicReference<PgChannel> open, PgChannel channel, boolean[] expired)
            throws IOException {
        open.set(channel);
        if (expired[0]) {
            channel.close();
            throw new java.io.InterruptedIOException("cancel timeout");
        }
        return channel;
    }

    private static PgChannel startTls(PlainChannel plain, Target target) throws IOException {
        Tls tls = target.tls();
        if (!tls.direct()) {
            WriteBuffer out = new WriteBuffer(8);
            new SSLRequest().encode(out);
            plain.write(out.flip());
            int answer = new ReadBuffer(16).readSingleByte(plain);
            if (answer != 'S') {
                throw new IOException("the server did not accept TLS for the cancel request (answer " + answer
                        + "); not sending the key in clear");
            }
        }
        ConnectOptions.Endpoint endpoint = target.endpoint();
        return TlsChannel.handshake(plain, tls.context().get(), endpoint.host(), endpoint.port(), tls.verifyHostName(),
                tls.direct() ? "postgresql" : null, null);
    }
}
