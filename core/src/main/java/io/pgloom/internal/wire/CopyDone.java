package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** CopyDone ('c'): the end of COPY data, in either direction. Has no body. */
public record CopyDone() implements BackendMessage, FrontendMessage {

    public static final CopyDone INSTANCE = new CopyDone();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('c');
        out.writeInt(4);
    }
}
