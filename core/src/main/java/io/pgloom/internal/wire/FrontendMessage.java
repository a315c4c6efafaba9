package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/**
 * A message the client sends. Each encodes itself into a {@link WriteBuffer}; a query appends
 * several and flushes once.
 */
public interface FrontendMessage {

    /** Appends this message, tag and patched length included. */
    void encode(WriteBuffer out);
}
