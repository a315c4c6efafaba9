package io.pgloom;

import java.util.List;

/**
 * The query methods that a connection, a pool and a timed view of either share, named after
 * asyncpg's. Parameters are {@code $1}, {@code $2}, ...; each is encoded in binary as the type the
 * server inferred for it.
 *
 * <pre>{@code
 * Queries q = conn.withTimeout(Duration.ofSeconds(2));
 * Row row = q.fetchRow("SELECT * FROM users WHERE id = $1", 42);
 * }</pre>
 */
public interface Queries {

    /**
     * Runs one request: the primitive that every other method here reaches, and the one a
     * connection, a pool or a timed view implements (with its own lock, timeout or borrowing).
     */
    <T> T run(QueryRequest<T> request);

    /**
     * Runs a statement and returns its command tag ({@code "INSERT 0 1"}). Without arguments it
     * uses the simple query protocol, so {@code sql} may hold several statements separated by
     * semicolons, and the tag is the last one's.
     */
    default String execute(String sql, Object... args) {
        return run(new QueryRequest.Execute(sql, args));
    }

    /**
     * Runs one statement once for each argument list, pipelined: every Bind/Execute is sent
     * before one Sync, so the whole batch costs one round trip. On the first error the batch
     * stops and, outside a transaction, none of it is kept.
     */
    default void executeMany(String sql, List<Object[]> argsList) {
        run(new QueryRequest.ExecuteMany(sql, argsList));
    }

    /** Runs a query and returns all its rows. */
    default List<Row> fetch(String sql, Object... args) {
        return run(new QueryRequest.Fetch(sql, args, Integer.MAX_VALUE));
    }

    /**
     * Runs a query and maps each row to a Java {@code record} by column name, as {@link Row#as}
     * does: {@code List<User> users = conn.fetch(User.class, "SELECT id, name FROM users")}.
     */
    default <R> List<R> fetch(Class<R> recordType, String sql, Object... args) {
        List<Row> rows = fetch(sql, args);
        java.util.ArrayList<R> out = new java.util.ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(row.as(recordType));
        }
        return out;
    }

    /**
     * Runs a query and returns its first row, or {@code null} when it returned none. Only one row
     * is asked of the server (Execute with a row limit of 1): a query's later rows are never
     * produced.
     */
    default Row fetchRow(String sql, Object... args) {
        List<Row> rows = run(new QueryRequest.Fetch(sql, args, 1));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Runs a query and maps its first row to a Java {@code record} by column name, as
     * {@link Row#as} does; {@code null} when it returned none:
     * {@code User u = conn.fetchRow(User.class, "SELECT id, name FROM users WHERE id = $1", 7)}.
     */
    default <R> R fetchRow(Class<R> recordType, String sql, Object... args) {
        Row row = fetchRow(sql, args);
        return row == null ? null : row.as(recordType);
    }

    /** Runs a query and returns the first column of its first row, or {@code null} when none. */
    default Object fetchVal(String sql, Object... args) {
        Row row = firstColumnOf(fetchRow(sql, args));
        return row == null ? null : row.get(0);
    }

    /**
     * Runs a query and returns the first column of its first row converted to {@code type}
     * ({@code fetchVal(Long.class, "SELECT count(*) FROM t")}), or {@code null} when none.
     */
    default <T> T fetchVal(Class<T> type, String sql, Object... args) {
        Row row = firstColumnOf(fetchRow(sql, args));
        return row == null ? null : row.get(0, type);
    }

    private static Row firstColumnOf(Row row) {
        if (row != null && row.size() == 0) {
            throw new PgException("fetchVal: the query returned a row with no columns");
        }
        return row;
    }
}
