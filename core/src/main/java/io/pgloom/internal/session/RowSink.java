package io.pgloom.internal.session;

import io.pgloom.internal.wire.DataRow;

/**
 * Receives a result's rows as raw bytes. The {@link DataRow} is a view into the read buffer,
 * valid only during the call: a sink that keeps a row copies it.
 */
@FunctionalInterface
public interface RowSink {

    RowSink DISCARD = row -> { };

    void row(DataRow row);
}
