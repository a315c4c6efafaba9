package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/**
 * ReadyForQuery ('Z'): the server finished a request and waits. Its status byte is 'I' (idle),
 * 'T' (in a transaction block) or 'E' (in a failed transaction block).
 */
public record ReadyForQuery(byte status) implements BackendMessage {

    private static final ReadyForQuery IDLE = new ReadyForQuery((byte) 'I');
    private static final ReadyForQuery IN_TRANSACTION = new ReadyForQuery((byte) 'T');
    private static final ReadyForQuery FAILED = new ReadyForQuery((byte) 'E');

    static ReadyForQuery decode(ReadBuffer in) {
        byte status = in.readByte();
        return switch (status) {
            case 'I' -> IDLE;
            case 'T' -> IN_TRANSACTION;
            case 'E' -> FAILED;
            default -> throw new ReadBuffer.ProtocolViolation("ReadyForQuery with unknown status " + status);
        };
    }

    public boolean inTransaction() {
        return status != 'I';
    }

    public boolean failed() {
        return status == 'E';
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'Z');
        out.writeByte(status);
        out.endMessage(lengthAt);
    }
}
