package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** RowDescription ('T'): the name, type and format of each column a statement returns. */
public record RowDescription(Field[] fields) implements BackendMessage {

    /** One column's description. Format is 0 (text) or 1 (binary); from a statement Describe it is 0. */
    public record Field(String name, int tableOid, short columnNumber, int typeOid, short typeSize,
                        int typeModifier, short format) {
    }

    static RowDescription decode(ReadBuffer in) {
        Field[] fields = new Field[in.readShort() & 0xFFFF];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = new Field(in.readCString(), in.readInt(), in.readShort(), in.readInt(), in.readShort(),
                    in.readInt(), in.readShort());
        }
        return new RowDescription(fields);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'T');
        out.writeShort(fields.length);
        for (Field f : fields) {
            out.writeCString(f.name());
            out.writeInt(f.tableOid());
            out.writeShort(f.columnNumber());
            out.writeInt(f.typeOid());
            out.writeShort(f.typeSize());
            out.writeInt(f.typeModifier());
            out.writeShort(f.format());
        }
        out.endMessage(lengthAt);
    }
}
