package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** CommandComplete ('C'): a statement finished; its tag says what it did ("INSERT 0 1"). */
public record CommandComplete(String tag) implements BackendMessage {

    static CommandComplete decode(ReadBuffer in) {
        return new CommandComplete(in.readCString());
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'C');
        out.writeCString(tag);
        out.endMessage(lengthAt);
    }
}
