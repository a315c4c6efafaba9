package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** EmptyQueryResponse ('I'): the query string was empty. Has no body. */
public record EmptyQueryResponse() implements BackendMessage {

    public static final EmptyQueryResponse INSTANCE = new EmptyQueryResponse();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('I');
        out.writeInt(4);
    }
}
