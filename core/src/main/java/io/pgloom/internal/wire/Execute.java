package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** Execute ('E'): runs a portal, returning at most {@code maxRows} rows (0 = all). */
public record Execute(String portal, int maxRows) implements FrontendMessage {

    /** Execute of the unnamed portal with no row limit: the common case, without allocation. */
    public static void encodeUnnamed(WriteBuffer out) {
        encodeUnnamed(out, 0);
    }

    /**
     * Execute of the unnamed portal returning at most {@code maxRows} rows: when the limit is
     * reached the server answers PortalSuspended instead of CommandComplete.
     */
    public static void encodeUnnamed(WriteBuffer out, int maxRows) {
        int lengthAt = out.startMessage((byte) 'E');
        out.writeByte(0);
        out.writeInt(maxRows);
        out.endMessage(lengthAt);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'E');
        out.writeCString(portal);
        out.writeInt(maxRows);
        out.endMessage(lengthAt);
    }

    public static Execute decode(ReadBuffer in) {
        return new Execute(in.readCString(), in.readInt());
    }
}
