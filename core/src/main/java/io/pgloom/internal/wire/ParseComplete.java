package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** ParseComplete ('1'): the statement was prepared. Has no body. */
public record ParseComplete() implements BackendMessage {

    public static final ParseComplete INSTANCE = new ParseComplete();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('1');
        out.writeInt(4);
    }
}
