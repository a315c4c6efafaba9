package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** SASLInitialResponse ('p'): the chosen mechanism and the client-first-message. */
public record SASLInitialResponse(String mechanism, byte[] data) implements FrontendMessage {

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'p');
        out.writeCString(mechanism);
        if (data == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(data.length);
            out.writeBytes(data);
        }
        out.endMessage(lengthAt);
    }
}
