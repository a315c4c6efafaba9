package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** CloseComplete ('3'): the statement or portal was closed. Has no body. */
public record CloseComplete() implements BackendMessage {

    public static final CloseComplete INSTANCE = new CloseComplete();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('3');
        out.writeInt(4);
    }
}
