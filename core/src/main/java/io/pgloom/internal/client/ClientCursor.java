package io.pgloom.internal.client;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.internal.session.Portal;
import io.pgloom.internal.wire.DataRow;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The implementation of {@link RowCursor}: a {@link Portal} whose rows are copied into
 * {@link ClientRow}s one at a time, as the iteration asks. While it is open its connection
 * refuses other calls; it tells the connection when it ends, by reaching the end of the result,
 * by an error, or by {@link #close()}.
 */
final class ClientCursor implements RowCursor, Iterator<Row> {

    private final ClientConnection connection;
    private final Portal portal;
    private final RowShape shape;
    private Row next;
    private boolean ended;
    private long rowsRead;
    private QueryObserver.Pending pending;

    ClientCursor(ClientConnection connection, Portal portal, RowShape shape) {
        this.connection = connection;
        this.portal = portal;
        this.shape = shape;
    }

    @Override
    public Iterator<Row> iterator() {
        return this;
    }

    @Override
    public List<Column> columns() {
        return shape == null ? List.of() : shape.columns;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        DataRow row;
        try {
            row = portal.next();
        } catch (RuntimeException e) {
            end(e); // a server error leaves the session ready; anything else closed it
            throw e;
        }
        if (row == null) {
            end(null);
            return false;
        }
        try {
            if (shape == null) {
                throw new PgException("a DataRow for a statement described as returning no rows");
            }
            next = ClientRow.copyOf(shape, row);
            rowsRead++;
            return true;
        } catch (RuntimeException e) {
            // The stream no longer matches what was described: nothing more can be trusted.
            connection.abortFromCursor("protocol violation in a cursor: " + e.getMessage());
            var broken = new io.pgloom.ConnectionException("the connection is broken: protocol violation in a cursor: "
                    + e.getMessage(), e, true);
            end(broken);
            throw broken;
        }
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the cursor has no more rows");
        }
        Row row = next;
        next = null;
        return row;
    }

    @Override
    public void close() {
        next = null;
        if (ended) {
            return;
        }
        RuntimeException failure = null;
        try {
            portal.close();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            end(failure);
        }
    }

    /** Called by the connection's cancel(), from any thread; see {@link Portal#cancel()}. */
    void cancel() {
        portal.cancel();
    }

    /** Reports the cursor's end, with the rows it read, to the connection's query observer. */
    void reportTo(QueryObserver.Pending pending) {
        this.pending = pending;
    }

    private void end(RuntimeException failure) {
        if (!ended) {
            ended = true;
            connection.cursorEnded(this);
            if (pending != null) {
                pending.ended(rowsRead, failure instanceof PgException pe ? pe
                        : failure == null ? null : new PgException("the cursor failed: " + failure, failure));
            }
        }
    }
}
