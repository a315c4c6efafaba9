package io.pgloom.internal.session;

import io.pgloom.internal.wire.RowDescription;

/**
 * What the server said about a parsed statement: its name ("" for the unnamed one), the type it
 * inferred for each parameter, and its columns (null when it returns no rows).
 */
public record PreparedStatement(String name, String sql, int[] parameterOids, RowDescription.Field[] columns) {

    /** True when the statement returns rows. */
    public boolean returnsRows() {
        return columns != null;
    }
}
