package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** CopyFail ('f'): the client gives up on COPY FROM STDIN; the server rolls it back with this message. */
public record CopyFail(String message) implements FrontendMessage {

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'f');
        out.writeCString(message);
        out.endMessage(lengthAt);
    }

    public static CopyFail decode(ReadBuffer in) {
        return new CopyFail(in.readCString());
    }
}
