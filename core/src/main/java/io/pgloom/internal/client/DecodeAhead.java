package io.pgloom.internal.client;

import io.pgloom.Row;
import io.pgloom.internal.io.ReadBuffer;

import java.util.List;

/**
 * Decodes a fetch's rows while the fetch waits for the server's next ones.
 *
 * <p>A large result arrives in pieces: the server takes longer per row than the client needs to
 * copy one out of the stream, so the reading thread spends much of the fetch parked. Without
 * this, every value is decoded after the fetch returns, while the server, with nothing to do,
 * waits for the next query. Decoding in those gaps moves that work into time the client would
 * have spent waiting, and the caller's {@code get}s find the values ready (see
 * {@link ClientRow#decodedAhead}). The read buffer runs one {@link #step} at a time and asks the
 * channel between steps whether bytes came, so reading is never held up for more than a step.
 *
 * <p>Bounded: only the first {@link #ROWS_MAX} rows and {@link #BYTES_MAX} bytes of a fetch,
 * since a decoded row takes about as much memory again as its bytes (a result that large belongs
 * in a cursor anyway), and a few big values gain nothing from it.
 *
 * <p>One per connection, reused; used only by the thread running the fetch.
 */
final class DecodeAhead implements ReadBuffer.IdleWork {

    /** Rows of one fetch decoded ahead at most. */
    static final int ROWS_MAX = 10_000;
    /** Rows per step: a few microseconds of work between two looks at the socket. */
    static final int ROWS_PER_STEP = 8;
    /** Bytes of row data (as sent) of one fetch decoded ahead at most. */
    static final int BYTES_MAX = 1 << 20;

    private List<Row> rows;
    private int next;
    private int bytes;

    /** Starts decoding the rows this list receives; they must be {@link ClientRow}s. */
    void start(List<Row> rows) {
        this.rows = rows;
        this.next = 0;
        this.bytes = 0;
    }

    /** Stops; the rows not reached decode on {@code get} as before. */
    void stop() {
        rows = null;
    }

    @Override
    public boolean pending() {
        List<Row> r = rows;
        return r != null && next < Math.min(r.size(), ROWS_MAX) && bytes < BYTES_MAX;
    }

    @Override
    public void step() {
        int end = Math.min(Math.min(rows.size(), ROWS_MAX), next + ROWS_PER_STEP);
        for (; next < end; next++) {
            ClientRow row = (ClientRow) rows.get(next);
            bytes += row.byteSize();
            if (bytes > BYTES_MAX) {
                return; // over budget: this row and the rest decode on get
            }
            rows.set(next, row.decodedAhead());
        }
    }
}
