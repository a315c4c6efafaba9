package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.util.HashMap;
import java.util.Map;

/** ErrorResponse ('E'): fields keyed by one-byte codes ('S' severity, 'C' SQLSTATE, 'M' message, ...). */
public record ErrorResponse(Map<Character, String> fields) implements BackendMessage {

    static ErrorResponse decode(ReadBuffer in) {
        return new ErrorResponse(readFields(in));
    }

    static Map<Character, String> readFields(ReadBuffer in) {
        Map<Character, String> fields = new HashMap<>();
        for (byte code = in.readByte(); code != 0; code = in.readByte()) {
            fields.put((char) code, in.readCString());
        }
        return fields;
    }

    static void writeFields(WriteBuffer out, byte tag, Map<Character, String> fields) {
        int lengthAt = out.startMessage(tag);
        for (Map.Entry<Character, String> e : fields.entrySet()) {
            out.writeByte(e.getKey());
            out.writeCString(e.getValue());
        }
        out.writeByte(0);
        out.endMessage(lengthAt);
    }

    /** True when the server will close the session after this error. */
    public boolean isFatal() {
        String severity = fields.getOrDefault('V', fields.get('S'));
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    public String sqlState() {
        return fields.get('C');
    }

    @Override
    public void encode(WriteBuffer out) {
        writeFields(out, (byte) 'E', fields);
    }
}
