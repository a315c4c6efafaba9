package io.pgloom.internal.session;

import io.pgloom.PgException;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendMessage;
import io.pgloom.internal.wire.Bind;
import io.pgloom.internal.wire.BindComplete;
import io.pgloom.internal.wire.Close;
import io.pgloom.internal.wire.CloseComplete;
import io.pgloom.internal.wire.CommandComplete;
import io.pgloom.internal.wire.CopyInResponse;
import io.pgloom.internal.wire.CopyOutResponse;
import io.pgloom.internal.wire.DataRow;
import io.pgloom.internal.wire.EmptyQueryResponse;
import io.pgloom.internal.wire.ErrorResponse;
import io.pgloom.internal.wire.ParseComplete;
import io.pgloom.internal.wire.Execute;
import io.pgloom.internal.wire.Flush;
import io.pgloom.internal.wire.PortalSuspended;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.Sync;

import java.io.IOException;

/**
 * A result read as its caller consumes it: the unnamed portal, executed in batches of at most
 * {@code batchRows} rows, each row read off the socket only when {@link #next()} asks for it.
 * Memory holds one row at a time, whatever the size of the result.
 *
 * <p>The flow: Bind, Execute(batchRows), Flush; then BindComplete, up to batchRows DataRows and
 * PortalSuspended, answered by the next Execute and Flush; ... until CommandComplete, then Sync
 * and ReadyForQuery. No Sync is sent while the portal is open, because Sync ends the implicit
 * transaction outside a transaction block and with it the portal. Closing early sends Close and
 * Sync and drops only the rows already on their way (at most two batches), instead of reading
 * the rest of the result.
 *
 * <p>Once the portal has been suspended, two Executes are kept in flight, so the server produces
 * the next batch while the caller consumes this one. Not before: a statement that is not a plain
 * query runs to completion at its first Execute and answers a second one with an error, while a
 * portal that was suspended once is a query, and an Execute after its end just completes again
 * with no rows.
 *
 * <p>The session stays busy from {@link #open} until the ReadyForQuery, which {@link #next()}
 * reads at the end of the result and {@link #close()} reads when closing early. Not
 * thread-safe; a server error (the result failed in the middle) leaves the session ready.
 */
public final class Portal {

    private final Session session;
    private final int batchRows;
    private int executesInFlight = 1;
    private boolean suspendedOnce;
    private boolean completed;
    private boolean finished;
    private volatile boolean canceled;
    private String tag;

    private Portal(Session session, int batchRows) {
        this.session = session;
        this.batchRows = batchRows;
    }

    /**
     * Binds {@code statement} to the unnamed portal and asks for the first batch; returns once the
     * server accepted the Bind. A Bind the server refuses (a stale plan, a bad value) is thrown
     * as its error with the session ready again; a value the codec refuses sends nothing.
     */
    public static Portal open(Session session, String statement, short[] parameterFormats, Bind.Values values,
                              short[] resultFormats, int batchRows) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive, not " + batchRows);
        }
        session.begin();
        WriteBuffer out = session.out();
        int mark = out.position();
        try {
            session.writePendingCloses();
            session.writeUnnamedParse(statement);
            Bind.encode(out, statement, parameterFormats, values, resultFormats);
            Execute.encodeUnnamed(out, batchRows);
            Flush.encode(out);
            session.clearPendingCloses();
        } catch (RuntimeException e) {
            throw session.refusedBeforeSending(mark, e);
        }
        Portal portal = new Portal(session, batchRows);
        try {
            session.flush();
            portal.awaitBindComplete();
        } catch (IOException | RuntimeException | Error e) {
            throw session.failed(e);
        }
        return portal;
    }

    private void awaitBindComplete() throws IOException {
        while (true) {
            BackendMessage m = session.read();
            switch (m) {
                case BindComplete b -> {
                    return;
                }
                case ParseComplete p -> { }
                case CloseComplete c -> { }
                case ErrorResponse e -> throw endWithError(e);
                default -> session.handleAsyncOrFail(m, "the Bind of a cursor");
            }
        }
    }

    /**
     * The next row, a view into the read buffer valid until the next call; null at the end of
     * the result, when the session is ready again.
     *
     * @throws PgException the server's error when the result failed part way (the session is
     *         ready again), or a connection error
     */
    public DataRow next() {
        if (finished) {
            return null;
        }
        try {
            while (true) {
                BackendMessage m = session.read();
                switch (m) {
                    case DataRow d -> {
                        return d;
                    }
                    case PortalSuspended p -> {
                        executesInFlight--;
                        requestMore();
                    }
                    case CommandComplete c -> {
                        if (!completed) {
                            tag = c.tag();
                        }
                        if (endOfExecute()) {
                            return null;
                        }
                    }
                    case EmptyQueryResponse e -> {
                        if (endOfExecute()) {
                            return null;
                        }
                    }
                    case CopyInResponse c -> session.refuseCopyIn();
                    case CopyOutResponse c -> {
                        PgException error = session.drainCopyOut();
                        if (error != null) {
                            throw drainToReady(error);
                        }
                    }
                    case ErrorResponse e -> throw endWithError(e);
                    default -> session.handleAsyncOrFail(m, "a cursor");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw session.failed(e);
        }
    }

    /** The command tag once the result is complete ({@code "SELECT 10"}), else null. */
    public String tag() {
        return tag;
    }

    /** True once the result was read to its end, failed, or was closed: the session is free. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Ends the portal early: Close, Sync, and the rows already sent are read and dropped up to
     * ReadyForQuery. Does nothing once finished. A server error that arrives meanwhile is thrown,
     * with the session ready.
     */
    public void close() {
        if (finished) {
            return;
        }
        if (session.state() != SessionState.BUSY) {
            finished = true; // closed or broken under us: nothing to end on the server
            return;
        }
        try {
            Close.portal("").encode(session.out());
            PgException error = drainToReady(null);
            if (error != null) {
                throw error;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw session.failed(e);
        }
    }

    /** One Execute ended with CommandComplete; true once the last one did and the session is ready. */
    private boolean endOfExecute() throws IOException {
        completed = true;
        executesInFlight--;
        if (executesInFlight > 0) {
            return false; // a look-ahead Execute still answers, with no rows
        }
        PgException error = drainToReady(null);
        if (error != null) {
            throw error; // a failure at the implicit commit, say a deferred constraint
        }
        return true;
    }

    /**
     * Stops asking for batches, from any thread: a CancelRequest reaches the server only while
     * it executes, and between batches it waits for the next Execute, so the portal must also
     * stop asking. The next batch boundary then ends the portal with a query-canceled error.
     */
    public void cancel() {
        canceled = true;
    }

    private void requestMore() throws IOException {
        if (canceled) {
            PgException error = drainToReady(null);
            throw error != null ? error : new io.pgloom.QueryCanceledException(java.util.Map.of(
                    'S', "ERROR", 'V', "ERROR", 'C', "57014",
                    'M', "canceling statement due to user request (the cursor asked for no more rows)"));
        }
        int executes = suspendedOnce ? 1 : 2;
        suspendedOnce = true;
        WriteBuffer out = session.out();
        for (int i = 0; i < executes; i++) {
            Execute.encodeUnnamed(out, batchRows);
        }
        Flush.encode(out);
        session.flush();
        executesInFlight += executes;
    }

    /** After an ErrorResponse the server skips everything until Sync: sync, and return the error. */
    private PgException endWithError(ErrorResponse e) throws IOException {
        return drainToReady(Session.firstError(null, e));
    }

    /**
     * Sends Sync (after whatever is already in the buffer) and reads everything up to
     * ReadyForQuery, dropping rows; returns the first error: {@code error}, or one read here.
     */
    private PgException drainToReady(PgException error) throws IOException {
        Sync.encode(session.out());
        session.flush();
        while (true) {
            BackendMessage m = session.read();
            switch (m) {
                case ReadyForQuery r -> {
                    session.ready(r);
                    finished = true;
                    return error;
                }
                case ErrorResponse e -> error = Session.firstError(error, e);
                case DataRow d -> { }
                case PortalSuspended p -> { }
                case CommandComplete c -> { }
                case EmptyQueryResponse e -> { }
                case CloseComplete c -> { }
                case CopyInResponse c -> session.refuseCopyIn();
                case CopyOutResponse c -> {
                    PgException copyError = session.drainCopyOut();
                    error = error != null ? error : copyError;
                }
                default -> session.handleAsyncOrFail(m, "the end of a cursor");
            }
        }
    }
}
