package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** Describe ('D'): asks for a statement's ('S') or portal's ('P') parameter and row description. */
public record Describe(byte kind, String name) implements FrontendMessage {

    public static Describe statement(String name) {
        return new Describe((byte) 'S', name);
    }

    public static Describe portal(String name) {
        return new Describe((byte) 'P', name);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'D');
        out.writeByte(kind);
        out.writeCString(name);
        out.endMessage(lengthAt);
    }

    public static Describe decode(ReadBuffer in) {
        return new Describe(in.readByte(), in.readCString());
    }
}
