package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/**
 * Parse ('P'): prepares {@code sql} as statement {@code name} ("" is the unnamed statement).
 * Parameter types are left to the server (no OIDs sent) unless given.
 */
public record Parse(String name, String sql, int[] parameterOids) implements FrontendMessage {

    private static final int[] NONE = new int[0];

    public Parse(String name, String sql) {
        this(name, sql, NONE);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'P');
        out.writeCString(name);
        out.writeCString(sql);
        out.writeShort(parameterOids.length);
        for (int oid : parameterOids) {
            out.writeInt(oid);
        }
        out.endMessage(lengthAt);
    }

    public static Parse decode(ReadBuffer in) {
        String name = in.readCString();
        String sql = in.readCString();
        int[] oids = new int[in.readShort() & 0xFFFF];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = in.readInt();
        }
        return new Parse(name, sql, oids);
    }
}
