package io.pgloom.internal.wire;

import io.pgloom.internal.io.PgChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.io.IOException;

/**
 * A message the server sends. {@link #read} pulls the next one off the channel and decodes it;
 * a query's loop switches over the result until {@link ReadyForQuery}.
 *
 * <p>{@link DataRow} is a view into the reader's buffer, valid until the next read; every other
 * message owns its fields.
 */
public sealed interface BackendMessage
        permits Authentication, BackendKeyData, BindComplete, CloseComplete, CommandComplete, CopyData,
        CopyDone, CopyInResponse, CopyOutResponse, DataRow, EmptyQueryResponse, ErrorResponse,
        NegotiateProtocolVersion, NoData, NoticeResponse, NotificationResponse, ParameterDescription,
        ParameterStatus, ParseComplete, PortalSuspended, ReadyForQuery, RowDescription {

    /** Largest body of a message that carries user data (rows, COPY data, errors): 1 GiB. */
    int LARGE = WriteBuffer.MAX_MESSAGE_LENGTH;
    /** Largest body of a control message: a garbage length fails before any allocation. */
    int SMALL = 64 * 1024;

    /** Bounds each message's length by what its kind can hold. */
    ReadBuffer.LengthLimit LIMITS = tag -> switch (tag) {
        case 'D', 'd', 'T', 'E', 'N', 'A' -> LARGE;
        case 't' -> 2 + 4 * 65535;
        case 'Z' -> 1;
        case '1', '2', '3', 'n', 's', 'I', 'c' -> 0;
        case 'K' -> 4 + 256;
        case 'R', 'S', 'C', 'v', 'G', 'H' -> SMALL;
        default -> throw new ReadBuffer.ProtocolViolation(
                "unexpected backend message type " + describeTag(tag));
    };

    /** Reads and decodes the next message. */
    static BackendMessage read(PgChannel channel, ReadBuffer in) throws IOException {
        byte tag = in.nextMessage(channel, LIMITS);
        return decode(tag, in);
    }

    /** Decodes the current message of {@code in}, whose tag is {@code tag}. */
    static BackendMessage decode(byte tag, ReadBuffer in) {
        return switch (tag) {
            case 'D' -> DataRow.decode(in);
            case 'C' -> CommandComplete.decode(in);
            case 'Z' -> ReadyForQuery.decode(in);
            case '2' -> BindComplete.INSTANCE;
            case '1' -> ParseComplete.INSTANCE;
            case 'T' -> RowDescription.decode(in);
            case 't' -> ParameterDescription.decode(in);
            case 'n' -> NoData.INSTANCE;
            case 's' -> PortalSuspended.INSTANCE;
            case '3' -> CloseComplete.INSTANCE;
            case 'I' -> EmptyQueryResponse.INSTANCE;
            case 'E' -> ErrorResponse.decode(in);
            case 'N' -> NoticeResponse.decode(in);
            case 'A' -> NotificationResponse.decode(in);
            case 'S' -> ParameterStatus.decode(in);
            case 'K' -> BackendKeyData.decode(in);
            case 'R' -> Authentication.decode(in);
            case 'v' -> NegotiateProtocolVersion.decode(in);
            case 'G' -> CopyInResponse.decode(in);
            case 'H' -> CopyOutResponse.decode(in);
            case 'd' -> CopyData.decode(in);
            case 'c' -> CopyDone.INSTANCE;
            default -> throw new ReadBuffer.ProtocolViolation("unexpected backend message type " + describeTag(tag));
        };
    }

    /** Encodes this message as the server would (for the fake server in tests). */
    void encode(WriteBuffer out);

    private static String describeTag(byte tag) {
        return tag >= 0x20 && tag < 0x7F ? "'" + (char) tag + "'" : String.format("0x%02x", tag & 0xFF);
    }
}
