package io.pgloom.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;

/** A savepoint of a {@link PgloomConnection}: named by the caller, or {@code pgloom_savepoint_N}. */
record PgloomSavepoint(int id, String name) implements Savepoint {

    /** The savepoint's SQL identifier, quoted when the caller named it. */
    String identifier() {
        return name == null ? "pgloom_savepoint_" + id : PgloomConnection.quoteIdentifier(name);
    }

    static String identifier(Savepoint savepoint) throws SQLException {
        if (!(savepoint instanceof PgloomSavepoint sp)) {
            throw new SQLException("not a savepoint of this driver: " + savepoint, "3B001");
        }
        return sp.identifier();
    }

    @Override
    public int getSavepointId() throws SQLException {
        if (name != null) {
            throw new SQLException("a named savepoint has no id; call getSavepointName()", "3B001");
        }
        return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (name == null) {
            throw new SQLException("an unnamed savepoint has no name; call getSavepointId()", "3B001");
        }
        return name;
    }
}
