package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** CopyData ('d'): a chunk of COPY data, in either direction. */
public record CopyData(byte[] data) implements BackendMessage, FrontendMessage {

    static CopyData decode(ReadBuffer in) {
        return new CopyData(in.readBytes(in.remaining()));
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'd');
        out.writeBytes(data);
        out.endMessage(lengthAt);
    }
}
