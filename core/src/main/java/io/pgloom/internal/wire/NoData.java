package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** NoData ('n'): the statement returns no rows. Has no body. */
public record NoData() implements BackendMessage {

    public static final NoData INSTANCE = new NoData();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('n');
        out.writeInt(4);
    }
}
