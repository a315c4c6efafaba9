package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** Close ('C'): releases a prepared statement ('S') or a portal ('P'). */
public record Close(byte kind, String name) implements FrontendMessage {

    public static Close statement(String name) {
        return new Close((byte) 'S', name);
    }

    public static Close portal(String name) {
        return new Close((byte) 'P', name);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'C');
        out.writeByte(kind);
        out.writeCString(name);
        out.endMessage(lengthAt);
    }

    public static Close decode(ReadBuffer in) {
        return new Close(in.readByte(), in.readCString());
    }
}
