package io.pgloom;

import java.util.List;

/**
 * A statement parsed once on the server under a name of its own (asyncpg's {@code prepare}):
 * what it takes and returns can be inspected, and it runs many times with Bind/Execute only.
 *
 * <pre>{@code
 * try (PreparedQuery q = conn.prepare("SELECT id, name FROM users WHERE id > $1")) {
 *     List<String> params = q.parameterTypes();        // ["int4"]
 *     List<Column> cols = q.columns();                 // id int4, name text
 *     for (int floor : floors) {
 *         List<Row> rows = q.fetch(floor);
 *     }
 * }
 * }</pre>
 *
 * <p>Arguments are encoded as for the connection's own query methods: in binary, as the type the
 * server inferred for each {@code $n}. When DDL changed what the statement returns ("cached plan
 * must not change result type") or the server dropped it ({@code DISCARD ALL}), it is prepared
 * again and the call retried once, outside a failed transaction; {@link #columns()} then reflects
 * the new shape.
 *
 * <p><b>Threading and lifetime:</b> it belongs to its connection and is used like it, one
 * operation at a time; it is unusable once the connection closes. Rows it returns are
 * independent copies. {@link #close()} deallocates the statement on the server.
 */
public interface PreparedQuery extends AutoCloseable {

    /** The SQL text it was prepared from. */
    String sql();

    /** The columns of its result, from the server's RowDescription; empty when it returns no rows. */
    List<Column> columns();

    /**
     * The type name the server inferred for each parameter, in order ({@code ["int4", "text"]});
     * user-defined types by their name, arrays as {@code _int4}.
     */
    List<String> parameterTypes();

    /** Runs it and returns the command tag ({@code "UPDATE 3"}). */
    String execute(Object... args);

    /** Runs it once per argument list, pipelined under one Sync, as {@link Queries#executeMany} does. */
    void executeMany(List<Object[]> argsList);

    /** Runs it and returns all rows. */
    List<Row> fetch(Object... args);

    /** Runs it asking for one row; returns that row, or null when there is none. */
    Row fetchRow(Object... args);

    /** The first column of its first row, or null when there is none. */
    Object fetchVal(Object... args);

    /** The first column of its first row converted to {@code type}, or null when there is none. */
    <T> T fetchVal(Class<T> type, Object... args);

    /** Runs it and reads its rows as they are consumed; see {@link RowCursor}. */
    RowCursor cursor(Object... args);

    /** Deallocates the statement on the server. Idempotent; later calls fail. */
    @Override
    void close();
}
