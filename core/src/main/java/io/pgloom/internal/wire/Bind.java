package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/**
 * Bind ('B'): binds parameter values to a prepared statement, making a portal.
 *
 * <p>On the hot path values are not materialized: {@link #encode(WriteBuffer, String, short[],
 * Values, short[])} asks a {@link Values} to write each one straight into the buffer. The record
 * form, with each value as bytes, serves the fake server in tests.
 */
public record Bind(String portal, String statement, short[] parameterFormats, byte[][] values, short[] resultFormats)
        implements FrontendMessage {

    /** Writes parameter values into a Bind message; knows nothing of Java types itself. */
    public interface Values {
        int count();

        /** Writes value {@code index} without its length; returns false when it is NULL. */
        boolean write(int index, WriteBuffer out);
    }

    /** No parameters. */
    public static final Values NO_VALUES = new Values() {
        @Override
        public int count() {
            return 0;
        }

        @Override
        public boolean write(int index, WriteBuffer out) {
            throw new IllegalStateException("no parameters");
        }
    };

    /**
     * Appends a Bind. Format arrays may hold one entry that applies to all, or none for text.
     */
    public static void encode(WriteBuffer out, String statement, short[] parameterFormats, Values values,
                              short[] resultFormats) {
        int lengthAt = out.startMessage((byte) 'B');
        out.writeByte(0); // unnamed portal
        out.writeCString(statement);
        out.writeShort(parameterFormats.length);
        for (short f : parameterFormats) {
            out.writeShort(f);
        }
        int n = values.count();
        out.writeShort(n);
        for (int i = 0; i < n; i++) {
            int valueAt = out.startValue();
            if (values.write(i, out)) {
                out.endValue(valueAt);
            } else {
                out.truncate(valueAt);
                out.writeInt(-1);
            }
        }
        out.writeShort(resultFormats.length);
        for (short f : resultFormats) {
            out.writeShort(f);
        }
        out.endMessage(lengthAt);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'B');
        out.writeCString(portal);
        out.writeCString(statement);
        out.writeShort(parameterFormats.length);
        for (short f : parameterFormats) {
            out.writeShort(f);
        }
        out.writeShort(values.length);
        for (byte[] v : values) {
            if (v == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(v.length);
                out.writeBytes(v);
            }
        }
        out.writeShort(resultFormats.length);
        for (short f : resultFormats) {
            out.writeShort(f);
        }
        out.endMessage(lengthAt);
    }

    public static Bind decode(ReadBuffer in) {
        String portal = in.readCString();
        String statement = in.readCString();
        short[] paramFormats = readShorts(in);
        byte[][] values = new byte[in.readShort() & 0xFFFF][];
        for (int i = 0; i < values.length; i++) {
            int len = in.readInt();
            values[i] = len < 0 ? null : in.readBytes(len);
        }
        return new Bind(portal, statement, paramFormats, values, readShorts(in));
    }

    private static short[] readShorts(ReadBuffer in) {
        short[] s = new short[in.readShort() & 0xFFFF];
        for (int i = 0; i < s.length; i++) {
            s[i] = in.readShort();
        }
        return s;
    }
}
