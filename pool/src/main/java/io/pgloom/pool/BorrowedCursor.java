package io.pgloom.pool;

import io.pgloom.Column;
import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.RowCursor;

import java.util.Iterator;
import java.util.List;

/** What {@link PgPool#cursor} returns: a cursor that gives its borrowed connection back when closed. */
final class BorrowedCursor implements RowCursor {

    private final RowCursor cursor;
    private final PgConnection borrowed;

    BorrowedCursor(RowCursor cursor, PgConnection borrowed) {
        this.cursor = cursor;
        this.borrowed = borrowed;
    }

    @Override
    public Iterator<Row> iterator() {
        return cursor.iterator();
    }

    @Override
    public List<Column> columns() {
        return cursor.columns();
    }

    @Override
    public void close() {
        try {
            cursor.close();
        } finally {
            borrowed.close();
        }
    }
}
