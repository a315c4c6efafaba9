package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** Terminate ('X'): the polite end of a session. */
public final class Terminate {

    private Terminate() {
    }

    public static void encode(WriteBuffer out) {
        out.writeByte('X');
        out.writeInt(4);
    }
}
