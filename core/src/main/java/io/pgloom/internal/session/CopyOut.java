package io.pgloom.internal.session;

import java.io.IOException;

/** Receives the data of a COPY TO STDOUT, one CopyData body at a time (valid only during the call). */
@FunctionalInterface
public interface CopyOut {

    void write(byte[] bytes, int offset, int length) throws IOException;
}
