package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** ParameterDescription ('t'): the type OID the server inferred for each {@code $n}. */
public record ParameterDescription(int[] typeOids) implements BackendMessage {

    static ParameterDescription decode(ReadBuffer in) {
        int[] oids = new int[in.readShort() & 0xFFFF];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = in.readInt();
        }
        return new ParameterDescription(oids);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 't');
        out.writeShort(typeOids.length);
        for (int oid : typeOids) {
            out.writeInt(oid);
        }
        out.endMessage(lengthAt);
    }
}
