package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** SSLRequest: asks the server to start TLS; it answers one byte, 'S' (yes) or 'N' (no). */
public record SSLRequest() implements FrontendMessage {

    public static final int CODE = 80877103; // 1234 << 16 | 5679

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startUntaggedMessage();
        out.writeInt(CODE);
        out.endMessage(lengthAt);
    }
}
