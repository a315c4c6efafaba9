package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** PortalSuspended ('s'): Execute's row limit was reached. Has no body. */
public record PortalSuspended() implements BackendMessage {

    public static final PortalSuspended INSTANCE = new PortalSuspended();

    @Override
    public void encode(WriteBuffer out) {
        out.writeByte('s');
        out.writeInt(4);
    }
}
