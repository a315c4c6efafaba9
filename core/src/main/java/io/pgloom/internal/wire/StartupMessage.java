package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StartupMessage: the first message of a session, untagged. Protocol version 3.0 as
 * {@code 196608}, 3.2 as {@code 196610}; parameters are {@code user}, {@code database}, {@code application_name},
 * {@code options} and any server setting.
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) implements FrontendMessage {

    public static final int PROTOCOL_3_0 = 3 << 16;

    /** The newest minor version pgloom speaks: 3.2 (PostgreSQL 18), whose cancel keys are longer. */
    public static final int NEWEST_MINOR = 2;

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startUntaggedMessage();
        out.writeInt(protocolVersion);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            out.writeCString(e.getKey());
            out.writeCString(e.getValue());
        }
        out.writeByte(0);
        out.endMessage(lengthAt);
    }

    /** Decodes the body after the length (for the fake server in tests). */
    public static StartupMessage decodeBody(ReadBuffer in) {
        int version = in.readInt();
        Map<String, String> params = new LinkedHashMap<>();
        while (in.remaining() > 1) {
            params.put(in.readCString(), in.readCString());
        }
        return new StartupMessage(version, params);
    }
}
