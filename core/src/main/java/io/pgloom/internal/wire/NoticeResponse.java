package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.util.Map;

/** NoticeResponse ('N'): a warning or notice, with the same fields as an ErrorResponse. */
public record NoticeResponse(Map<Character, String> fields) implements BackendMessage {

    static NoticeResponse decode(ReadBuffer in) {
        return new NoticeResponse(ErrorResponse.readFields(in));
    }

    @Override
    public void encode(WriteBuffer out) {
        ErrorResponse.writeFields(out, (byte) 'N', fields);
    }
}
