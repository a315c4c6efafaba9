package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/**
 * BackendKeyData ('K'): the backend's process ID and the secret key a CancelRequest must quote.
 * The key is 4 bytes in protocol 3.0; protocol 3.2 servers may send up to 256.
 */
public record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {

    static BackendKeyData decode(ReadBuffer in) {
        int pid = in.readInt();
        return new BackendKeyData(pid, in.readBytes(in.remaining()));
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'K');
        out.writeInt(processId);
        out.writeBytes(secretKey);
        out.endMessage(lengthAt);
    }
}
