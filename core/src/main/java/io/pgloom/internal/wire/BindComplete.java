package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** BindComplete ('2'): the server bound the parameters. Has no body. */
public record BindComplete() implements BackendMessage {

    public static final BindComplete INSTANCE = new BindComplete();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('2');
        out.writeInt(4);
    }
}
