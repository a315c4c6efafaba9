package io.pgloom;

/** A transaction isolation level, as {@code BEGIN ISOLATION LEVEL ...} names it. */
public enum Isolation {
    READ_COMMITTED("READ COMMITTED"),
    REPEATABLE_READ("REPEATABLE READ"),
    SERIALIZABLE("SERIALIZABLE");

    private final String sql;

    Isolation(String sql) {
        this.sql = sql;
    }

    /** The words SQL uses for this level. */
    public String sql() {
        return sql;
    }
}
