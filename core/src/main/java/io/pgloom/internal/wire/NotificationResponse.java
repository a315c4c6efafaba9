package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** NotificationResponse ('A'): a NOTIFY on a channel this session LISTENs to. */
public record NotificationResponse(int processId, String channel, String payload) implements BackendMessage {

    static NotificationResponse decode(ReadBuffer in) {
        return new NotificationResponse(in.readInt(), in.readCString(), in.readCString());
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'A');
        out.writeInt(processId);
        out.writeCString(channel);
        out.writeCString(payload);
        out.endMessage(lengthAt);
    }
}
