package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

/** ParameterStatus ('S'): the current value of a reported server setting (TimeZone, server_version, ...). */
public record ParameterStatus(String name, String value) implements BackendMessage {

    static ParameterStatus decode(ReadBuffer in) {
        return new ParameterStatus(in.readCString(), in.readCString());
    }

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'S');
        out.writeCString(name);
        out.writeCString(value);
        out.endMessage(lengthAt);
    }
}
