package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/**
 * CancelRequest: sent on a new side connection, untagged, to cancel what the backend with this
 * process ID and secret key is running. The key is 4 bytes in protocol 3.0 and up to 256 in 3.2.
 */
public record CancelRequest(int processId, byte[] secretKey) implements FrontendMessage {

    public static final int CODE = 80877102; // 1234 << 16 | 5678

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startUntaggedMessage();
        out.writeInt(CODE);
        out.writeInt(processId);
        out.writeBytes(secretKey);
        out.endMessage(lengthAt);
    }
}
