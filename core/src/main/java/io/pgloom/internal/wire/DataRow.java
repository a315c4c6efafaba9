package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/**
 * DataRow ('D'): one row's values, each an Int32 length (-1 for NULL) and its bytes.
 *
 * <p>A view into the reader's buffer: {@code bytes[offset, offset + length)} holds the values
 * after the column count, valid only until the next message is read. Whoever keeps a row copies
 * it once.
 */
public record DataRow(byte[] bytes, int offset, int length, int columnCount) implements BackendMessage {

    static DataRow decode(ReadBuffer in) {
        int columns = in.readShort() & 0xFFFF;
        int offset = in.position();
        int length = in.remaining();
        in.skip(length);
        return new DataRow(in.array(), offset, length, columns);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'D');
        out.writeShort(columnCount);
        out.writeBytes(bytes, offset, length);
        out.endMessage(lengthAt);
    }

    /** Builds a row from values (null for NULL), for the fake server in tests. */
    public static DataRow of(byte[]... values) {
        WriteBuffer b = new WriteBuffer(64);
        for (byte[] v : values) {
            if (v == null) {
                b.writeInt(-1);
            } else {
                b.writeInt(v.length);
                b.writeBytes(v);
            }
        }
        byte[] body = b.toByteArray();
        return new DataRow(body, 0, body.length, values.length);
    }
}
