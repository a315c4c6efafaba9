package io.pgloom.internal.client;

import io.pgloom.internal.session.PreparedStatement;
import io.pgloom.internal.types.TypeRegistry;

/**
 * A prepared statement with everything a call needs worked out once: the formats to bind and to
 * request, and the shape its rows share. The hot path looks it up by SQL text and goes straight
 * to Bind/Execute/Sync.
 */
final class CachedStatement {

    final PreparedStatement prepared;
    final int[] parameterOids;
    final short[] parameterFormats;
    final short[] resultFormats;
    final RowShape shape;
    /** Whether it only reads, as far as its text shows: see {@link SessionChanges#isPlainRead}. */
    final boolean plainRead;
    /**
     * How many rows the last {@code fetch} of this statement returned: the next one sizes its
     * list for that many up front instead of growing it a dozen times (a hint, so a race on it
     * only costs a resize).
     */
    int lastRowCount;

    CachedStatement(PreparedStatement prepared, TypeRegistry types) {
        this.prepared = prepared;
        this.plainRead = SessionChanges.isPlainRead(prepared.sql());
        this.parameterOids = prepared.parameterOids();
        this.parameterFormats = new short[parameterOids.length];
        for (int i = 0; i < parameterOids.length; i++) {
            parameterFormats[i] = (short) types.parameterFormat(parameterOids[i]);
        }
        if (prepared.returnsRows()) {
            this.resultFormats = new short[prepared.columns().length];
            for (int i = 0; i < resultFormats.length; i++) {
                resultFormats[i] = (short) types.resultFormat(prepared.columns()[i].typeOid());
            }
            this.shape = new RowShape(prepared.columns(), resultFormats, types);
        } else {
            this.resultFormats = new short[0];
            this.shape = null;
        }
    }

    String name() {
        return prepared.name();
    }
}
