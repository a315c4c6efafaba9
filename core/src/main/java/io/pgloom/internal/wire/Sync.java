package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** Sync ('S'): ends an extended-protocol exchange; the server answers ReadyForQuery. */
public final class Sync {

    private Sync() {
    }

    public static void encode(WriteBuffer out) {
        out.writeByte('S');
        out.writeInt(4);
    }
}
