package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** SASLResponse ('p'): a later SASL message, such as SCRAM's client-final-message. */
public record SASLResponse(byte[] data) implements FrontendMessage {

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'p');
        out.writeBytes(data);
        out.endMessage(lengthAt);
    }
}
