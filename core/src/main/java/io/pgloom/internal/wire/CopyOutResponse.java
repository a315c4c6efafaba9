package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** CopyOutResponse ('H'): the server is about to send COPY data; overall format and each column's (0 text, 1 binary). */
public record CopyOutResponse(byte format, short[] columnFormats) implements BackendMessage {

    static CopyOutResponse decode(ReadBuffer in) {
        byte format = in.readByte();
        short[] formats = new short[in.readShort() & 0xFFFF];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = in.readShort();
        }
        return new CopyOutResponse(format, formats);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'H');
        out.writeByte(format);
        out.writeShort(columnFormats.length);
        for (short f : columnFormats) {
            out.writeShort(f);
        }
        out.endMessage(lengthAt);
    }
}
