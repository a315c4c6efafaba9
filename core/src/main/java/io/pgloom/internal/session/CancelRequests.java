package io.pgloom.internal.session;

import io.pgloom.ConnectOptions;
import io.pgloom.internal.io.PlainChannel;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.CancelRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends a CancelRequest on a short side connection, as the protocol requires: the server reads
 * it, signals the backend, and closes the side connection without a reply.
 */
public final class CancelRequests {

    private static final System.Logger LOG = System.getLogger("io.pgloom.session");

    private CancelRequests() {
    }

    /**
     * Asks the server to cancel whatever the backend with {@code key} is running. Best effort:
     * failures are logged, since the caller's query ends either way.
     *
     * @return true when the request was delivered
     */
    public static boolean send(ConnectOptions.Endpoint endpoint, BackendKeyData key) {
        if (key == null) {
            return false;
        }
        WriteBuffer out = new WriteBuffer(16 + key.secretKey().length);
        new CancelRequest(key.processId(), key.secretKey()).encode(out);
        try (PlainChannel channel = endpoint.isUnixSocket()
                ? PlainChannel.connectUnix(endpoint.host(), endpoint.port())
                : PlainChannel.connectTcp(new InetSocketAddress(endpoint.connectTo(), endpoint.port()))) {
            channel.write(out.flip());
            // Wait for the server to close its end: then the cancel has been handed to the backend.
            ByteBuffer sink = ByteBuffer.allocate(16);
            while (channel.read(sink) >= 0) {
                sink.clear();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cancel request for backend " + key.processId() + " failed", e);
            return false;
        }
    }
}
