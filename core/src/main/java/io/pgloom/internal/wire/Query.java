package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** Query ('Q'): a simple-protocol query string, possibly several statements. */
public record Query(String sql) implements FrontendMessage {

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'Q');
        out.writeCString(sql);
        out.endMessage(lengthAt);
    }

    public static Query decode(ReadBuffer in) {
        return new Query(in.readCString());
    }
}
