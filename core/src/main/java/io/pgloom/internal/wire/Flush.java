package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** Flush ('H'): asks the server to send what it has produced so far, without a Sync. */
public final class Flush {

    private Flush() {
    }

    public static void encode(WriteBuffer out) {
        out.writeByte('H');
        out.writeInt(4);
    }
}
