package io.pgloom;

import java.util.List;

/**
 * One row of a query's result, copied out of the wire once and decoded lazily, column by column.
 * A {@code fetch} that waits for the server's next rows uses the wait to decode the rows it
 * already has (up to its first 10,000 rows or 1 MiB), so their {@code get}s find immutable
 * values (strings, numbers, {@code UUID}, {@code java.time}) ready; others, such as
 * {@code byte[]}, are decoded afresh on each call.
 *
 * <pre>{@code
 * Row row = conn.fetchRow("SELECT id, name FROM users WHERE id = $1", 1);
 * int id = row.get(0, Integer.class);
 * String name = row.get("name", String.class);
 * }</pre>
 *
 * <p>Rows of one result share one column description. A row is immutable once returned and may
 * be read from any thread, also after its connection has closed.
 */
public interface Row {

    /** The number of columns. */
    int size();

    /** The value of the column at {@code index} (0-based) in its default Java type, or null. */
    Object get(int index);

    /** The value of the column named {@code name}, or null; the first one when names repeat. */
    Object get(String name);

    /**
     * The value at {@code index} converted to {@code type} where that is safe and obvious
     * (int4 to {@code Long}, timestamptz to {@code Instant}, any type to {@code String}).
     */
    <T> T get(int index, Class<T> type);

    /** The value of the column named {@code name} converted to {@code type}. */
    <T> T get(String name, Class<T> type);

    /** True when the column at {@code index} is SQL NULL. */
    boolean isNull(int index);

    /** The columns' names and types, shared by every row of the same result. */
    List<Column> columns();

    /** The 0-based index of the column named {@code name}; throws when there is none. */
    int indexOf(String name);

    /**
     * This row as a Java {@code record}, each component taken from the column of the same name
     * and converted to the component's type; a missing or mistyped component is an error that
     * names it.
     *
     * <pre>{@code
     * record User(int id, String name, LocalDate born) {}
     * User u = conn.fetchRow("SELECT id, name, born FROM users WHERE id = $1", 1).as(User.class);
     * }</pre>
     */
    <R> R as(Class<R> recordType);
}
