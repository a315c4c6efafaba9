package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * NegotiateProtocolVersion ('v'): the server supports an older minor version than asked for, or
 * does not know some {@code _pq_.} startup options.
 */
public record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
        implements BackendMessage {

    static NegotiateProtocolVersion decode(ReadBuffer in) {
        int minor = in.readInt();
        int n = in.readInt();
        if (n < 0 || n > in.remaining()) {
            throw new ReadBuffer.ProtocolViolation("NegotiateProtocolVersion lists " + n + " options");
        }
        List<String> options = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            options.add(in.readCString());
        }
        return new NegotiateProtocolVersion(minor, options);
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'v');
        out.writeInt(newestMinorVersion);
        out.writeInt(unrecognizedOptions.size());
        for (String o : unrecognizedOptions) {
            out.writeCString(o);
        }
        out.endMessage(lengthAt);
    }
}
