package io.pgloom;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A query's rows read off the socket as they are consumed, so that memory stays bounded
 * whatever the size of the result. From {@link PgConnection#cursor}, {@link PreparedQuery#cursor}
 * or a pool's {@code cursor}.
 *
 * <pre>{@code
 * try (RowCursor cur = conn.cursor("SELECT * FROM events WHERE day = $1", day)) {
 *     for (Row row : cur) {
 *         export(row);
 *     }
 * }
 * }</pre>
 *
 * <p>The server produces the rows in batches (an Execute with a row limit on a portal), and each
 * row is read from the connection when the iteration reaches it. Closing early ends the portal
 * without reading the rest of the result; the rows already on their way, at most two batches,
 * are dropped. Reading to the end frees the connection as well; {@link #close()} is still safe
 * and cheap to call.
 *
 * <p><b>The connection:</b> while a cursor is open its connection serves nothing else: another
 * call on it gets "connection busy" at once. Inside a transaction the cursor reads in that
 * transaction; outside one, its rows come from one snapshot (the statement's implicit
 * transaction), which stays open until the cursor ends.
 *
 * <p><b>Time:</b> the connection's command timeout bounds opening the cursor, not reading it: a
 * slow consumer is not a slow query. {@link PgConnection#cancel()}, from any thread, stops the
 * query while the server runs it; the iteration then throws {@link QueryCanceledException}.
 *
 * <p><b>Errors:</b> a server error in the middle of the result (a division by zero at row
 * 500,000) is thrown as a {@link PgException} from {@code hasNext()}/{@code next()} of the
 * iteration; the cursor is then finished and the connection usable again. A connection error
 * means the connection is closed.
 *
 * <p><b>Threading and lifetime:</b> a cursor is used by one thread at a time and iterated once
 * ({@link #iterator()} returns the same iterator each time). Each {@link Row} it returns is an
 * independent copy, valid for as long as the caller keeps it, also after the cursor and the
 * connection closed; nothing else is retained, so a row the caller drops is garbage at once.
 */
public interface RowCursor extends Iterable<Row>, AutoCloseable {

    /** The rows not yet read; the same iterator on every call. */
    @Override
    Iterator<Row> iterator();

    /**
     * The rows not yet read as a sequential stream; closing the stream closes the cursor:
     * {@code try (Stream<Row> s = conn.cursor(sql).stream()) { ... }}.
     */
    default Stream<Row> stream() {
        Spliterator<Row> rows = Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(rows, false).onClose(this::close);
    }

    /** The result's columns; empty for a statement that returns no rows. */
    java.util.List<Column> columns();

    /**
     * Ends the cursor: when rows are left, the portal is closed on the server without reading
     * them. Idempotent; the connection is free for other calls afterwards.
     */
    @Override
    void close();
}
