package io.pgloom.internal.session;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.QueryCanceledException;
import io.pgloom.SqlState;
import io.pgloom.internal.io.PgChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.BackendMessage;
import io.pgloom.internal.wire.Bind;
import io.pgloom.internal.wire.BindComplete;
import io.pgloom.internal.wire.Close;
import io.pgloom.internal.wire.CloseComplete;
import io.pgloom.internal.wire.CommandComplete;
import io.pgloom.internal.wire.CopyData;
import io.pgloom.internal.wire.CopyDone;
import io.pgloom.internal.wire.CopyFail;
import io.pgloom.internal.wire.CopyInResponse;
import io.pgloom.internal.wire.CopyOutResponse;
import io.pgloom.internal.wire.DataRow;
import io.pgloom.internal.wire.Describe;
import io.pgloom.internal.wire.EmptyQueryResponse;
import io.pgloom.internal.wire.ErrorResponse;
import io.pgloom.internal.wire.Execute;
import io.pgloom.internal.wire.NoData;
import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.NotificationResponse;
import io.pgloom.internal.wire.ParameterDescription;
import io.pgloom.internal.wire.ParameterStatus;
import io.pgloom.internal.wire.Parse;
import io.pgloom.internal.wire.ParseComplete;
import io.pgloom.internal.wire.PortalSuspended;
import io.pgloom.internal.wire.Query;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.RowDescription;
import io.pgloom.internal.wire.Sync;
import io.pgloom.internal.wire.Terminate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * One protocol session: a query's life in bytes, OIDs and format codes. It knows no Java value
 * types: parameters arrive as a {@link Bind.Values} that writes its own bytes, and rows leave as
 * raw {@link DataRow} views.
 *
 * <p>Every request is written whole into one buffer and flushed once; then the replies are read
 * until ReadyForQuery, in one loop per kind of request that reads like the protocol's flow
 * chart. A server error is remembered and thrown after ReadyForQuery, leaving the session
 * usable. Anything else that goes wrong (I/O, a protocol violation, an interrupt) breaks the
 * session for good: its channel is closed and every later call says why.
 *
 * <p>Not thread-safe: the client layer lets one thread in at a time. {@link #close()} and
 * {@link #abort(String)} may come from any thread.
 */
public final class Session {

    private static final System.Logger LOG = System.getLogger("io.pgloom.session");

    /** A write larger than this runs on its own virtual thread while we read, so neither side can stall. */
    private static final int CONCURRENT_WRITE_THRESHOLD = 128 * 1024;

    private final PgChannel channel;
    private final ReadBuffer in;
    private final WriteBuffer out;
    private final AsyncMessages async;
    private final BackendKeyData key;
    private final ConnectOptions.Endpoint endpoint;
    private final CancelRequests.Target cancelTarget;
    private final Map<String, String> parameters;
    private final List<String> pendingCloses = new ArrayList<>();
    /** A Parse of the unnamed statement to send in front of the next Bind; see {@link #parseWithNextBind}. */
    private Parse unnamedParse;
    private final int protocolMinorVersion;
    private volatile SessionState state = SessionState.STARTING;
    private static final java.lang.invoke.VarHandle STATE;

    static {
        try {
            STATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Session.class, "state", SessionState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile String brokenReason;
    private volatile Throwable brokenCause;
    private byte transactionStatus = 'I';
    /** Set by {@link #expire()}: the request's timeout passed, start no further round trip. */
    private volatile boolean expired;
    /** Whether the current request began writing to the socket: if not, it surely did not reach the server. */
    private boolean flushStarted;
    /** SQL to send ahead of the next request (see {@link #queueReset}), or null. */
    private String prelude;
    private byte statusAfterPrelude = 'I';
    /** Where a queued BEGIN starts in {@link #prelude}, or -1. */
    private int pendingBeginAt = -1;
    private boolean preludeWritten;
    /** The written prelude is a BEGIN as Parse/Bind/Execute without a Sync: its reply ends at CommandComplete. */
    private boolean preludeExtended;
    private boolean readingPrelude;
    private int changes;
    private long roundTrips;
    /** The read timeout's timer, or null when there is none. */
    private volatile ReadDeadline readDeadline;

    private static final short[] NO_FORMATS = new short[0];

    private Session(PgChannel channel, ReadBuffer in, WriteBuffer out, AsyncMessages async, Startup.Result started,
                    ConnectOptions.Endpoint endpoint, CancelRequests.Target cancelTarget) {
        this.cancelTarget = cancelTarget;
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.async = async;
        this.key = started.key();
        this.endpoint = endpoint;
        this.parameters = new ConcurrentHashMap<>(started.parameters());
        this.transactionStatus = started.transactionStatus();
        this.protocolMinorVersion = started.protocolMinorVersion();
        this.state = SessionState.READY;
    }

    /**
     * Connects to one endpoint, negotiates TLS, authenticates and waits for the first ReadyForQuery.
     *
     * @throws ConnectionException when the server cannot be reached or the start fails
     * @throws PgException with the server's fields when it refuses us (wrong password: 28P01)
     */
    public static Session connect(ConnectOptions options, ConnectOptions.Endpoint endpoint,
                                  Supplier<SSLContext> sslContext, boolean verifyHostName, AsyncMessages async) {
        ReadBuffer in = new ReadBuffer(16 * 1024);
        WriteBuffer out = new WriteBuffer(8 * 1024);
        Startup startup = new Startup(options, endpoint, sslContext, verifyHostName, async, in, out);
        java.util.concurrent.ScheduledFuture<?> watchdog = options.connectTimeout().isZero() ? null
                : Timers.schedule(options.connectTimeout(), startup::abort);
        try {
            Startup.Result started = startup.run();
            if (startup.finish()) {
                // The watchdog fired just as the start completed: its channel is closed.
                started.channel().close();
                throw new java.io.InterruptedIOException("connect timeout at the end of the start");
            }
            Session session = new Session(started.channel(), in, out, async, started, endpoint,
                    startup.cancelTarget(started.channel()));
            session.readDeadline = ReadDeadline.start(session, in, options.readTimeout());
            return session;
        } catch (IOException | RuntimeException e) {
            if (startup.wasAborted()) {
                startup.abort();
                throw new io.pgloom.PgTimeoutException("could not connect to " + describe(endpoint) + " within "
                        + options.connectTimeout().toMillis() + " ms (connect_timeout)", e);
            }
            throw translateConnectFailure(endpoint, e);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    private static String describe(ConnectOptions.Endpoint endpoint) {
        return endpoint.isUnixSocket() ? "Unix socket in " + endpoint.host() : endpoint.host() + ":" + endpoint.port();
    }

    private static RuntimeException translateConnectFailure(ConnectOptions.Endpoint endpoint, Exception e) {
        if (e instanceof ClosedByInterruptException) {
            return new ConnectionException("interrupted while connecting to " + describe(endpoint), e, false);
        }
        if (e instanceof ReadBuffer.ProtocolViolation) {
            return new ConnectionException("protocol violation while connecting to " + describe(endpoint) + ": "
                    + e.getMessage(), e, false);
        }
        if (e instanceof IOException) {
            return new ConnectionException("could not connect to " + describe(endpoint) + ": " + e, e, false);
        }
        return (RuntimeException) e;
    }

    // ---- requests ----

    /**
     * Runs SQL with the simple query protocol (one or several statements, no parameters) and
     * returns the last statement's command tag. Rows, in text format, are discarded.
     */
    public String simpleQuery(String sql) {
        begin();
        try {
            writePendingCloses();
            pendingCloses.clear();
            new Query(sql).encode(out);
            flush();
            String tag = null;
            PgException error = null;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case CommandComplete c -> {
                        tag = c.tag();
                        noteSessionReset(tag);
                    }
                    case RowDescription r -> { }
                    case DataRow d -> { }
                    case EmptyQueryResponse e -> tag = "";
                    case CloseComplete c -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case CopyInResponse c -> refuseCopyIn();
                    case CopyOutResponse c -> error = firstNonNull(error, drainCopyOut());
                    case ReadyForQuery r -> {
                        ready(r);
                        return throwOr(error, tag);
                    }
                    default -> handleAsyncOrFail(m, "a simple query");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /**
     * Parses and describes a statement: Parse, Describe, Sync, then ParameterDescription and
     * RowDescription (or NoData). The unnamed statement ("") lives until the next Parse.
     */
    public PreparedStatement prepare(String name, String sql) {
        Object result = prepareAll(List.of(name), List.of(sql))[0];
        if (result instanceof PgException error) {
            throw error;
        }
        if (result == null) {
            throw failed(protocolViolation("no ParameterDescription after Describe"));
        }
        return (PreparedStatement) result;
    }

    /**
     * Parses and describes several named statements in one round trip: Parse and Describe for
     * each, one Sync. Element {@code i} of the result is statement {@code i}'s
     * {@link PreparedStatement}, its {@link PgException}, or null when the server skipped it
     * because an earlier one failed (everything after an error is skipped until the Sync).
     */
    public Object[] prepareAll(List<String> names, List<String> sqls) {
        begin();
        try {
            writePendingCloses();
            pendingCloses.clear();
            for (int i = 0; i < names.size(); i++) {
                new Parse(names.get(i), sqls.get(i)).encode(out);
                Describe.statement(names.get(i)).encode(out);
            }
            Sync.encode(out);
            flush();
            Object[] results = new Object[names.size()];
            int at = 0;
            int[] parameterOids = null;
            boolean failed = false;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case ParseComplete p -> { }
                    case ParameterDescription p -> parameterOids = p.typeOids();
                    case RowDescription r -> {
                        results[at] = described(names, sqls, at, parameterOids, r.fields());
                        at++;
                        parameterOids = null;
                    }
                    case NoData n -> {
                        results[at] = described(names, sqls, at, parameterOids, null);
                        at++;
                        parameterOids = null;
                    }
                    case CloseComplete c -> { }
                    case ErrorResponse e -> {
                        PgException error = firstError(null, e);
                        if (!failed && at < results.length) {
                            results[at] = error; // the rest were skipped: left null
                        }
                        failed = true;
                    }
                    case ReadyForQuery r -> {
                        ready(r);
                        return results;
                    }
                    default -> handleAsyncOrFail(m, "Parse/Describe");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    private PreparedStatement described(List<String> names, List<String> sqls, int at, int[] parameterOids,
                                        RowDescription.Field[] columns) {
        if (at >= names.size()) {
            throw protocolViolation("more statement descriptions than statements described");
        }
        if (parameterOids == null) {
            throw protocolViolation("no ParameterDescription after Describe");
        }
        return new PreparedStatement(names.get(at), sqls.get(at), parameterOids, columns);
    }

    /**
     * Binds and executes a prepared statement: Bind, Execute, Sync, one flush. Rows go to
     * {@code sink}; returns the command tag.
     *
     * <p>If writing a parameter fails (a value the codec refuses), nothing has been sent: the
     * buffer is rolled back and the session stays ready.
     */
    public String execute(String statement, short[] parameterFormats, Bind.Values values, short[] resultFormats,
                          RowSink sink) {
        return execute(statement, parameterFormats, values, resultFormats, sink, 0);
    }

    /**
     * {@link #execute(String, short[], Bind.Values, short[], RowSink)} asking for at most
     * {@code maxRows} rows (0: all). When the limit cuts the result short the server suspends the
     * portal (PortalSuspended, no CommandComplete) and Sync drops it: the tag is then null.
     */
    public String execute(String statement, short[] parameterFormats, Bind.Values values, short[] resultFormats,
                          RowSink sink, int maxRows) {
        begin();
        int mark = out.position();
        try {
            writePendingCloses(!statement.isEmpty() || unnamedParse != null);
            writeUnnamedParse(statement);
            Bind.encode(out, statement, parameterFormats, values, resultFormats);
            Execute.encodeUnnamed(out, maxRows);
            Sync.encode(out);
            pendingCloses.clear();
        } catch (RuntimeException e) {
            throw refusedBeforeSending(mark, e);
        } catch (Error e) {
            throw failed(e); // nothing was sent, but the encoder's state is unknown: do not reuse
        }
        try {
            flush();
            String tag = null;
            PgException error = null;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case DataRow d -> {
                        if (error == null) {
                            sink.row(d);
                        }
                    }
                    case ParseComplete p -> { }
                    case BindComplete b -> { }
                    case CommandComplete c -> tag = c.tag();
                    case PortalSuspended p -> { }
                    case EmptyQueryResponse e -> tag = "";
                    case CloseComplete c -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case CopyInResponse c -> refuseCopyIn();
                    case CopyOutResponse c -> error = firstNonNull(error, drainCopyOut());
                    case ReadyForQuery r -> {
                        ready(r);
                        return throwOr(error, tag);
                    }
                    default -> handleAsyncOrFail(m, "Bind/Execute");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /**
     * Executes one prepared statement once per value set, pipelined: every Bind/Execute pair,
     * then one Sync, one flush. After the first error the server skips the rest until Sync.
     * Returns the number of statements that completed.
     */
    public int executeBatch(String statement, short[] parameterFormats, List<? extends Bind.Values> valueSets,
                            short[] resultFormats) {
        List<BatchEntry> entries = new ArrayList<>(valueSets.size());
        for (Bind.Values values : valueSets) {
            entries.add(new BatchEntry(statement, parameterFormats, values, resultFormats));
        }
        return executeBatch(entries);
    }

    /**
     * One Bind/Execute of a pipelined batch: which statement, the values to bind, and the most
     * rows to ask for (0: all; 1 for a fetchRow, whose result ends in PortalSuspended when the
     * statement has more rows).
     */
    public record BatchEntry(String statement, short[] parameterFormats, Bind.Values values, short[] resultFormats,
                             int maxRows) {

        /** An entry asking for every row. */
        public BatchEntry(String statement, short[] parameterFormats, Bind.Values values, short[] resultFormats) {
            this(statement, parameterFormats, values, resultFormats, 0);
        }
    }

    /**
     * Executes several prepared statements pipelined under one Sync, so that outside a
     * transaction block they commit or fail together; returns how many completed.
     */
    public int executeBatch(List<BatchEntry> entries) {
        begin();
        int mark = out.position();
        try {
            writePendingCloses();
            writeUnnamedParse(entries.isEmpty() ? null : entries.get(0).statement());
            for (BatchEntry e : entries) {
                Bind.encode(out, e.statement(), e.parameterFormats(), e.values(), e.resultFormats());
                Execute.encodeUnnamed(out);
            }
            Sync.encode(out);
            pendingCloses.clear();
        } catch (RuntimeException e) {
            throw refusedBeforeSending(mark, e);
        } catch (Error e) {
            throw failed(e); // nothing was sent, but the encoder's state is unknown: do not reuse
        }
        try {
            flush();
            int completed = 0;
            PgException error = null;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case ParseComplete p -> { }
                    case BindComplete b -> { }
                    case DataRow d -> { }
                    case CommandComplete c -> completed++;
                    case EmptyQueryResponse e -> completed++;
                    case CloseComplete c -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case ReadyForQuery r -> {
                        ready(r);
                        if (error != null) {
                            throw error;
                        }
                        return completed;
                    }
                    default -> handleAsyncOrFail(m, "a pipelined batch");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /**
     * The outcome of one statement of {@link #executeEach}: its command tag, or its error, or
     * {@code rerun}: it shared a Sync with a statement that failed, so the server rolled it back
     * or skipped it, and it must run again (its rows so far are void).
     */
    public record Outcome(String tag, PgException error, boolean rerun) {

        public Outcome(String tag, PgException error) {
            this(tag, error, false);
        }

        static final Outcome RERUN = new Outcome(null, null, true);
    }

    /**
     * Executes prepared statements in one write and one round trip: each under its own Sync
     * (independent: one failing does not stop the others), or, when {@code atomic}, all under one
     * Sync (outside a transaction block they commit or fail together; after the first error the
     * server skips the rest). Rows of entry i go to {@code sinks.get(i)}; an entry cut short by
     * its row limit has the tag "". Returns one outcome per
     * entry; in an atomic run that failed, the failed entry has the error, the ones before it
     * their tags (rolled back with the rest), and the skipped ones null.
     */
    public Outcome[] executeEach(List<BatchEntry> entries, List<RowSink> sinks, boolean atomic) {
        return executeEach(entries, sinks, atomic, null);
    }

    /** The most statements under one shared Sync in {@link #executeEach}. */
    private static final int MAX_SHARED_SYNC = 64;

    /**
     * {@link #executeEach} where, unless {@code atomic}, consecutive entries marked in
     * {@code shareSync} (plain reads, outside a transaction block) share one Sync instead of one
     * each: the server then commits them as one implicit transaction and flushes once. When one
     * of them fails, the others come back as {@link Outcome#RERUN}: the caller runs them again,
     * each alone. An error after the last CommandComplete under a Sync is its commit's: in an
     * atomic run it goes to the last entry; among shared reads, all of them run again.
     */
    public Outcome[] executeEach(List<BatchEntry> entries, List<RowSink> sinks, boolean atomic, boolean[] shareSync) {
        int n = entries.size();
        if (n == 0) {
            return new Outcome[0];
        }
        // syncAfter[k]: entry k is the last under its Sync
        boolean[] syncAfter = new boolean[n];
        begin();
        int mark = out.position();
        try {
            writePendingCloses();
            int run = 0;
            for (int k = 0; k < n; k++) {
                BatchEntry e = entries.get(k);
                Bind.encode(out, e.statement(), e.parameterFormats(), e.values(), e.resultFormats());
                Execute.encodeUnnamed(out, e.maxRows());
                run++;
                boolean shares = k + 1 < n && (atomic || shareSync != null && shareSync[k] && shareSync[k + 1]
                        && run < MAX_SHARED_SYNC);
                if (!shares) {
                    Sync.encode(out);
                    syncAfter[k] = true;
                    run = 0;
                }
            }
            pendingCloses.clear();
        } catch (RuntimeException e) {
            throw refusedBeforeSending(mark, e);
        }
        try {
            flush();
            Outcome[] outcomes = new Outcome[n];
            int i = 0; // the entry whose reply is being read; it never passes the last under its Sync
            int first = 0; // the first entry under that Sync
            String tag = null;
            PgException error = null;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case BindComplete b -> { }
                    case CloseComplete c -> { }
                    case DataRow d -> {
                        if (error == null) {
                            sinks.get(i).row(d);
                        }
                    }
                    case CommandComplete c -> tag = c.tag();
                    case EmptyQueryResponse e -> tag = "";
                    case PortalSuspended p -> tag = ""; // its row limit was reached: done, with no tag
                    case ErrorResponse e -> error = firstError(error, e);
                    case CopyInResponse c -> refuseCopyIn();
                    case CopyOutResponse c -> error = firstNonNull(error, drainCopyOut());
                    case ReadyForQuery r -> {
                        int last = i;
                        while (!syncAfter[last]) {
                            last++;
                        }
                        if (error == null || atomic || first == last) {
                            outcomes[i] = new Outcome(tag, error);
                        } else {
                            // Shared reads: the server rolled back what ran before the failure and
                            // skipped the rest. A commit's error is nobody's in particular.
                            boolean commitFailed = i == last && tag != null;
                            for (int k = first; k <= last; k++) {
                                outcomes[k] = k == i && !commitFailed ? new Outcome(null, error) : Outcome.RERUN;
                            }
                        }
                        tag = null;
                        error = null;
                        first = last + 1;
                        i = first;
                        if (first == n) {
                            ready(r);
                            return outcomes;
                        }
                        transactionStatus = r.status();
                    }
                    default -> handleAsyncOrFail(m, "a pipeline");
                }
                if (tag != null && error == null && !syncAfter[i]) {
                    // A statement ended and the next one's reply follows under the same Sync.
                    outcomes[i++] = new Outcome(tag, null);
                    tag = null;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /**
     * Runs a {@code COPY ... FROM STDIN} statement with the simple protocol and streams
     * {@code source} to it as CopyData messages, one flush per chunk; returns the rows copied.
     *
     * <p>When the source fails, a CopyFail ends the COPY (the server rolls it back), the
     * session stays ready, and the source's exception is rethrown. A server error during the
     * copy (a constraint, a bad value) is thrown after ReadyForQuery.
     */
    public long copyIn(String sql, CopyIn source) throws IOException {
        begin();
        try {
            writePendingCloses();
            pendingCloses.clear();
            new Query(sql).encode(out);
            flush();
            PgException error = null;
            boolean copying = false;
            while (!copying) {
                BackendMessage m = read();
                switch (m) {
                    case CopyInResponse c -> copying = true;
                    case CloseComplete c -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case CommandComplete c -> { }
                    case RowDescription r -> { }
                    case DataRow d -> { }
                    case CopyOutResponse c -> error = firstNonNull(error, drainCopyOut());
                    case ReadyForQuery r -> {
                        ready(r);
                        throw error != null ? error
                                : new PgException("the statement is not a COPY ... FROM STDIN: " + abbreviate(sql));
                    }
                    default -> handleAsyncOrFail(m, "the start of COPY FROM STDIN");
                }
            }
            Exception sourceFailure = streamCopyData(source);
            long rows = 0;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case CommandComplete c -> rows = rowCount(c.tag());
                    case ErrorResponse e -> error = firstError(error, e);
                    case ReadyForQuery r -> {
                        ready(r);
                        if (sourceFailure instanceof RuntimeException re) {
                            throw re;
                        }
                        if (sourceFailure != null) {
                            throw (IOException) sourceFailure;
                        }
                        if (error != null) {
                            throw error;
                        }
                        return rows;
                    }
                    default -> handleAsyncOrFail(m, "COPY FROM STDIN");
                }
            }
        } catch (IOException e) {
            if (state == SessionState.READY) {
                throw e; // the source's own failure, after a clean CopyFail
            }
            throw failed(e);
        } catch (RuntimeException e) {
            if (state == SessionState.READY) {
                throw e; // a server error or the source's failure, thrown after ReadyForQuery
            }
            throw failed(e);
        } catch (Error e) {
            throw failed(e);
        }
    }

    /**
     * Sends the source's chunks as CopyData, then CopyDone; or, when the source throws, a
     * CopyFail naming its failure, which is returned to be rethrown once the server has answered.
     */
    private Exception streamCopyData(CopyIn source) throws IOException {
        boolean more = true;
        long lastFlush = System.nanoTime();
        while (more) {
            int messageAt = out.position();
            int lengthAt = out.startMessage((byte) 'd');
            try {
                more = source.writeChunk(out);
            } catch (IOException | RuntimeException e) {
                out.truncate(messageAt);
                new CopyFail("the client's COPY data source failed: " + e).encode(out);
                flush();
                return e;
            }
            if (out.position() - lengthAt == 4) {
                out.truncate(messageAt); // an empty chunk needs no message
            } else {
                out.endMessage(lengthAt);
            }
            if (!more || out.position() >= CopyIn.CHUNK || System.nanoTime() - lastFlush > CopyIn.MAX_HOLD_NANOS) {
                if (!more) {
                    CopyDone.INSTANCE.encode(out);
                }
                flush();
                lastFlush = System.nanoTime();
            }
        }
        return null;
    }

    /**
     * Runs a {@code COPY ... TO STDOUT} statement and hands each CopyData body to {@code sink};
     * returns the rows copied. When the sink fails, the rest of the data is read and dropped and
     * the sink's failure is thrown after ReadyForQuery, the session still usable.
     */
    public long copyOut(String sql, CopyOut sink) {
        begin();
        try {
            writePendingCloses();
            pendingCloses.clear();
            new Query(sql).encode(out);
            flush();
            PgException error = null;
            long rows = 0;
            boolean copied = false;
            Exception sinkFailure = null;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case CopyOutResponse c -> copied = true;
                    case CopyData d -> {
                        if (sinkFailure == null) {
                            try {
                                sink.write(d.data(), 0, d.data().length);
                            } catch (IOException | RuntimeException e) {
                                sinkFailure = e; // read the rest and drop it, so the session stays in step
                            }
                        }
                    }
                    case CopyDone d -> { }
                    case CommandComplete c -> rows = rowCount(c.tag());
                    case CloseComplete c -> { }
                    case RowDescription r -> { }
                    case DataRow d -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case CopyInResponse c -> refuseCopyIn();
                    case ReadyForQuery r -> {
                        ready(r);
                        if (sinkFailure != null) {
                            PgException e = new PgException("writing COPY data to the output failed: " + sinkFailure
                                    + " (the rest of the data was read and dropped; the connection is still usable)",
                                    sinkFailure);
                            if (error != null) {
                                e.addSuppressed(error);
                            }
                            throw e;
                        }
                        if (error != null) {
                            throw error;
                        }
                        if (!copied) {
                            throw new PgException("the statement is not a COPY ... TO STDOUT: " + abbreviate(sql));
                        }
                        return rows;
                    }
                    default -> handleAsyncOrFail(m, "COPY TO STDOUT");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    private static long rowCount(String tag) {
        int space = tag.lastIndexOf(' ');
        try {
            return Long.parseLong(tag.substring(space + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 80 ? sql : sql.substring(0, 77) + "...";
    }

    /**
     * Waits while idle for the server's asynchronous messages, until a NotificationResponse
     * arrives or {@code timeout} passes; returns whether one arrived (it went to
     * {@link AsyncMessages#notification}).
     *
     * <p>A blocking read has no timeout of its own, so the timeout is a message: at the deadline
     * the timer thread writes a Sync, and the server's ReadyForQuery ends the wait. If a
     * notification ended it first and the Sync is already on its way, its ReadyForQuery is read
     * before returning, so the stream stays in step.
     */
    public boolean awaitNotification(java.time.Duration timeout) {
        begin();
        // Waiting for a notification is idle time, not a reply: the read timeout starts only with the Sync.
        boolean clocked = readDeadline != null;
        in.clockWaits(false);
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        boolean[] syncSent = {false};
        boolean[] done = {false};
        java.util.concurrent.ScheduledFuture<?> timer = Timers.schedule(timeout, () -> {
            lock.lock();
            try {
                if (!done[0]) {
                    syncSent[0] = true;
                    if (clocked) {
                        // Before the write: the reply it asks for may end the wait (and clear the clock) at once.
                        in.clockWaits(true);
                        in.restartWaitClock();
                    }
                    channel.write(ByteBuffer.wrap(new byte[]{'S', 0, 0, 0, 4}));
                }
            } catch (IOException e) {
                abort("writing the Sync that ends a wait for notifications failed: " + e.getMessage());
            } finally {
                lock.unlock();
            }
        });
        try {
            boolean notified = false;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case NotificationResponse n -> {
                        async.notification(n);
                        notified = true;
                    }
                    case ReadyForQuery r -> {
                        ready(r);
                        return notified;
                    }
                    case ErrorResponse e -> throw firstError(null, e);
                    default -> handleAsyncOrFail(m, "a wait for notifications");
                }
                if (notified) {
                    timer.cancel(false);
                    lock.lock();
                    boolean drain;
                    try {
                        done[0] = true;
                        drain = syncSent[0];
                    } finally {
                        lock.unlock();
                    }
                    if (!drain) {
                        becomeReady();
                        return true;
                    }
                    // The Sync went out: read on to its ReadyForQuery (and any more notifications).
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        } finally {
            in.clockWaits(clocked);
        }
    }

    /** Bits of {@link #takeSessionResets()}: what SQL run through {@link #simpleQuery} dropped. */
    public static final int DROPPED_STATEMENTS = 1, DROPPED_LISTENS = 2;

    private int sessionResets;

    /** Notes statements that drop server-side session state the client layer mirrors. */
    private void noteSessionReset(String tag) {
        switch (tag) {
            case "DISCARD ALL" -> sessionResets |= DROPPED_STATEMENTS | DROPPED_LISTENS;
            case "DEALLOCATE ALL" -> sessionResets |= DROPPED_STATEMENTS;
            case "UNLISTEN" -> sessionResets |= DROPPED_LISTENS;
            default -> { }
        }
    }

    /** Returns and clears what the simple queries since the last call dropped. */
    public int takeSessionResets() {
        int r = sessionResets;
        sessionResets = 0;
        return r;
    }

    /**
     * Closes the statements queued by {@link #closeStatementLater} now: Close for each, Sync,
     * one round trip. Does nothing when none is queued.
     */
    public void closeQueuedStatements() {
        if (pendingCloses.isEmpty()) {
            return;
        }
        begin();
        try {
            writePendingCloses();
            pendingCloses.clear();
            Sync.encode(out);
            flush();
            PgException error = null;
            while (true) {
                BackendMessage m = read();
                switch (m) {
                    case CloseComplete c -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case ReadyForQuery r -> {
                        ready(r);
                        throwOr(error, null);
                        return;
                    }
                    default -> handleAsyncOrFail(m, "Close");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /** The buffer a request is written into; for {@link Portal}, which drives this session. */
    WriteBuffer out() {
        return out;
    }

    /** Forgets the queued Closes once a request that carries them is fully written. */
    void clearPendingCloses() {
        pendingCloses.clear();
    }

    /** Queues a Close of a prepared statement, sent in front of the next request. */
    public void closeStatementLater(String name) {
        pendingCloses.add(name);
    }

    /**
     * A request that failed while being encoded (a parameter the codec refused, a message over
     * 1 GiB) has sent nothing: drop what was buffered and stay ready.
     */
    RuntimeException refusedBeforeSending(int mark, RuntimeException e) {
        out.truncate(mark);
        out.reset();
        preludeWritten = false; // it stays queued for the next request
        preludeExtended = false;
        becomeReady();
        if (e instanceof WriteBuffer.MessageTooLargeException tooLarge) {
            return new PgException("the request was not sent: " + tooLarge.getMessage(), tooLarge);
        }
        return e;
    }

    /** Sets work for the reading thread to do while a read would wait ({@code null}: none); see {@link ReadBuffer#whileWaiting}. */
    public void whileWaiting(ReadBuffer.IdleWork work) {
        in.whileWaiting(work);
    }

    // ---- for PipelinedSession, which reads and writes this session's stream itself ----

    PgChannel channel() {
        return channel;
    }

    ReadBuffer readBuffer() {
        return in;
    }

    /**
     * Hands the queued reset to a pipelined request that sends it in the same write as the
     * first statements, and forgets it here; null when nothing is queued.
     */
    String takePrelude() {
        String sql = prelude;
        prelude = null;
        pendingBeginAt = -1;
        statusAfterPrelude = 'I';
        return sql;
    }

    /** Counts a pipelined request's reply as a round trip of this session's; under the pipeline's lock. */
    void countRoundTrip() {
        roundTrips++;
    }

    /** Handles a notice, notification or parameter status; anything else is a protocol violation. */
    void asyncMessage(BackendMessage m, String during) {
        handleAsyncOrFail(m, during);
    }

    // ---- the prelude: SQL that rides ahead of the next request ----

    /**
     * Queues {@code sql} (a complete BEGIN statement) to be sent ahead of the next request, in
     * the same write, so that a transaction's BEGIN costs no round trip of its own.
     */
    public void queueBegin(String sql) {
        pendingBeginAt = prelude == null ? 0 : prelude.length() + 2;
        prelude = prelude == null ? sql : prelude + "; " + sql;
        statusAfterPrelude = 'T';
    }

    /**
     * Drops a BEGIN queued by {@link #queueBegin} that has not been sent yet (the transaction
     * ends before running anything, so it costs nothing); false when there is none.
     */
    public boolean dropQueuedBegin() {
        if (pendingBeginAt < 0 || prelude == null) {
            return false;
        }
        prelude = pendingBeginAt == 0 ? null : prelude.substring(0, pendingBeginAt - 2);
        pendingBeginAt = -1;
        statusAfterPrelude = 'I';
        return true;
    }

    /**
     * Queues a reset of the server's session, {@code statements} (separated by semicolons), to be
     * sent ahead of the next request in the same write; anything queued before is dropped.
     * It runs in a transaction block of its own, after a ROLLBACK of whatever block is open, so
     * that if any part fails the block stays failed and the request behind it is refused by the
     * server (25P02) instead of running in a half-reset session; the connection is then closed.
     */
    public void queueReset(String statements) {
        String reset = "BEGIN; " + statements + "; COMMIT";
        prelude = transactionStatus != 'I' ? "ROLLBACK; " + reset : reset;
        pendingBeginAt = -1;
        statusAfterPrelude = 'I';
        changes = 0;
    }

    /** True while SQL queued by {@link #queueReset} or {@link #queueBegin} waits for the next request. */
    public boolean hasPrelude() {
        return prelude != null;
    }

    /** Reads the prelude's replies, which come before the request's own. */
    private void readPreludeReplies() throws IOException {
        preludeWritten = false;
        String sql = prelude;
        prelude = null;
        pendingBeginAt = -1;
        boolean extended = preludeExtended;
        preludeExtended = false;
        readingPrelude = true;
        try {
            PgException error = null;
            while (true) {
                BackendMessage m = BackendMessage.read(channel, in);
                switch (m) {
                    case ParseComplete p when extended -> { }
                    case BindComplete b when extended -> { }
                    case CommandComplete c -> {
                        if (extended && error == null) {
                            transactionStatus = 'T'; // the request's ReadyForQuery will confirm it
                            return;
                        }
                    }
                    case RowDescription r -> { }
                    case DataRow d -> { }
                    case EmptyQueryResponse e -> { }
                    case ErrorResponse e -> error = firstError(error, e);
                    case ReadyForQuery r -> {
                        transactionStatus = r.status();
                        if (error != null) {
                            // 'E': the reset's block failed, so the server refuses the request (25P02).
                            // A failed extended BEGIN made the server skip the request up to its Sync.
                            boolean requestRuns = r.status() != 'E' && !extended;
                            throw new ConnectionException("the SQL sent ahead of this request failed (" + abbreviate(sql)
                                    + "): " + error.getMessage() + "; the connection is closed"
                                    + (requestRuns ? "" : " and the request was not run"), error, requestRuns);
                        }
                        return;
                    }
                    default -> handleAsyncOrFail(m, "the SQL sent ahead of a request");
                }
            }
        } finally {
            readingPrelude = false;
        }
    }

    // ---- what the session's user may have changed ----

    /**
     * What statements since the last {@link #clearChanges()} (or reset) may have changed, as
     * {@link SessionEffects} bits: from command tags and ParameterStatus reports.
     */
    public int changes() {
        return changes;
    }

    /** Adds bits the client layer found (in the SQL text). */
    public void addChanges(int bits) {
        changes |= bits;
    }

    public void clearChanges() {
        changes = 0;
    }

    /**
     * Requests this session has made: each write that waits for its reply counts once, however
     * many messages it carries (a queued prelude rides free). For tests and diagnostics; read it
     * from the thread that uses the connection.
     */
    public long roundTrips() {
        return roundTrips;
    }

    // ---- state ----

    /**
     * 'I' idle, 'T' in a transaction block, 'E' in a failed one: as of the last ReadyForQuery,
     * or as the queued prelude will leave it (a reset: 'I'; a BEGIN: 'T').
     */
    public byte transactionStatus() {
        return prelude != null ? statusAfterPrelude : transactionStatus;
    }

    public SessionState state() {
        return state;
    }

    public boolean isUsable() {
        return state == SessionState.READY;
    }

    /** True while a round trip is in flight. */
    public boolean isBusy() {
        return state == SessionState.BUSY;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** The protocol version agreed at startup: 0 for 3.0, 2 for 3.2. */
    public int protocolMinorVersion() {
        return protocolMinorVersion;
    }

    public int processId() {
        return key == null ? 0 : key.processId();
    }

    public BackendKeyData backendKey() {
        return key;
    }

    public ConnectOptions.Endpoint endpoint() {
        return endpoint;
    }

    /** Where this session's CancelRequest goes: the address it connected to, with TLS when it has TLS. */
    public CancelRequests.Target cancelTarget() {
        return cancelTarget;
    }

    /** Asks the server to cancel what this session runs, on the caller's thread (it blocks briefly). */
    public boolean sendCancel() {
        return CancelRequests.send(cancelTarget, key);
    }

    /** Why the session broke, or null. */
    public String brokenReason() {
        return brokenReason;
    }

    /**
     * Breaks the session from any thread: closes the channel so that a blocked read fails at once.
     * Used by timeouts that found no answer to a cancel, and by close() from another thread.
     */
    public void abort(String reason) {
        for (SessionState s = state; s != SessionState.CLOSED && s != SessionState.BROKEN; s = state) {
            if (STATE.compareAndSet(this, s, SessionState.BROKEN)) {
                brokenReason = reason;
                break;
            }
        }
        stopReadDeadline();
        channel.close();
    }

    private void stopReadDeadline() {
        ReadDeadline deadline = readDeadline;
        if (deadline != null) {
            deadline.stop();
        }
    }

    /**
     * Ends a round trip. Only a busy session becomes ready: an {@link #abort} from another thread
     * that came while the replies were being read wins, so a session whose channel was just
     * closed is never handed out as ready.
     */
    private void becomeReady() {
        STATE.compareAndSet(this, SessionState.BUSY, SessionState.READY);
    }

    /** Sends Terminate (when the stream is in a known state) and closes. Idempotent. */
    public void close() {
        SessionState s = state;
        if (s == SessionState.CLOSED) {
            return;
        }
        if (s == SessionState.READY) {
            try {
                out.reset();
                Terminate.encode(out);
                flush();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Terminate not delivered", e);
            }
        }
        if (state != SessionState.BROKEN) {
            state = SessionState.CLOSED;
            brokenReason = "the connection was closed";
        }
        stopReadDeadline();
        channel.close();
    }

    // ---- the shared parts of every request ----

    void begin() {
        SessionState s = state;
        if (s != SessionState.READY) {
            throw notReady(s);
        }
        if (expired) {
            throw expiredBetweenRoundTrips();
        }
        state = SessionState.BUSY;
        if (expired) {
            // expire() ran between the check and BUSY: it saw READY and sent no cancel, so stop here.
            becomeReady();
            throw expiredBetweenRoundTrips();
        }
        flushStarted = false;
        roundTrips++;
    }

    /**
     * Ends the current request's time, from the timer thread. A request of several round trips
     * (prepare, then execute) is idle between them, where a cancel would do nothing; so the next
     * round trip refuses to start instead. Reading {@code state} after writing {@code expired},
     * while {@link #begin()} does the reverse, means at least one side sees the other.
     *
     * @return true when a round trip is in flight, which only a CancelRequest can stop
     */
    public boolean expire() {
        expired = true;
        return state == SessionState.BUSY;
    }

    /** Starts a new request's time: a timeout of the previous request no longer applies. */
    public void clearExpiry() {
        expired = false;
    }

    private static QueryCanceledException expiredBetweenRoundTrips() {
        return new QueryCanceledException(Map.of('S', "ERROR", 'V', "ERROR", 'C', SqlState.QUERY_CANCELED,
                'M', "canceling statement due to command timeout: it expired between the round trips of the"
                        + " request, so pgloom sent nothing more"));
    }

    private ConnectionException notReady(SessionState s) {
        return switch (s) {
            case CLOSED -> new ConnectionException("the connection is closed", brokenCause, false);
            case BROKEN -> new ConnectionException("the connection is broken: " + brokenReason, brokenCause, false);
            default -> new ConnectionException("the connection is " + s.name().toLowerCase(java.util.Locale.ROOT)
                    + ", not ready for a request", null, false);
        };
    }

    /**
     * Writes a Close for each evicted statement in front of the request. The caller clears the
     * list once the whole request is encoded, so a request refused while encoding keeps them.
     */
    /**
     * Sends Parse of the unnamed statement again, with the parameter types its description
     * gave, in front of the next Bind of it: behind a pooler in transaction mode the server
     * session that described it may not be the one that runs it. The unnamed statement then
     * never outlives one request.
     */
    public void parseWithNextBind(String sql, int[] parameterOids) {
        unnamedParse = new Parse("", sql, parameterOids);
    }

    void writeUnnamedParse(String statement) {
        Parse parse = unnamedParse;
        unnamedParse = null;
        if (parse != null && "".equals(statement)) {
            parse.encode(out);
        }
    }

    void writePendingCloses() {
        writePendingCloses(false);
    }

    /**
     * Writes the queued prelude and Closes in front of a request.
     *
     * @param syncFollows the request ends with a Sync and parses any unnamed statement it binds:
     *        then a lone BEGIN goes as Parse/Bind/Execute of the unnamed statement under the
     *        request's Sync, so the server answers both with one flush (a simple Query would
     *        end with a ReadyForQuery of its own: another packet, and another wake-up here)
     */
    void writePendingCloses(boolean syncFollows) {
        if (prelude != null) {
            if (syncFollows && pendingBeginAt == 0) {
                new Parse("", prelude).encode(out);
                Bind.encode(out, "", NO_FORMATS, Bind.NO_VALUES, NO_FORMATS);
                Execute.encodeUnnamed(out, 0);
                preludeExtended = true;
            } else {
                new Query(prelude).encode(out);
                preludeExtended = false;
            }
            preludeWritten = true;
        }
        for (String name : pendingCloses) {
            Close.statement(name).encode(out);
        }
    }

    BackendMessage read() throws IOException {
        if (preludeWritten) {
            readPreludeReplies();
        }
        BackendMessage m = BackendMessage.read(channel, in);
        if (m instanceof CommandComplete c) {
            changes |= SessionEffects.ofTag(c.tag());
        }
        return m;
    }

    void ready(ReadyForQuery r) {
        transactionStatus = r.status();
        becomeReady();
    }

    static PgException firstError(PgException earlier, ErrorResponse e) {
        PgException error = ServerErrors.fromFields(e.fields());
        if (e.isFatal()) {
            // The server closes the session after a FATAL error: nothing more will come.
            throw new FatalServerError(error);
        }
        return earlier != null ? earlier : error;
    }

    private static PgException firstNonNull(PgException earlier, PgException later) {
        return earlier != null ? earlier : later;
    }

    private static String throwOr(PgException error, String tag) {
        if (error != null) {
            throw error;
        }
        return tag;
    }

    void handleAsyncOrFail(BackendMessage m, String during) {
        switch (m) {
            case NoticeResponse n -> async.notice(n);
            case NotificationResponse n -> async.notification(n);
            case ParameterStatus p -> {
                if (!readingPrelude) {
                    changes |= SessionEffects.SETTINGS;
                }
                parameters.put(p.name(), p.value());
                async.parameterStatus(p);
            }
            default -> throw protocolViolation("unexpected " + m.getClass().getSimpleName() + " during " + during);
        }
    }

    /** COPY FROM STDIN reached through a plain query: refuse it cleanly so the stream stays in step. */
    void refuseCopyIn() throws IOException {
        int lengthAt = out.startMessage((byte) 'f');
        out.writeCString("COPY FROM STDIN is not supported through execute()/fetch()");
        out.endMessage(lengthAt);
        flush();
    }

    /**
     * COPY TO STDOUT reached through a plain query: read and drop its data until CopyDone, or
     * until an error; either way an error is returned for the caller's loop to throw after
     * ReadyForQuery, so the data is never lost silently.
     */
    PgException drainCopyOut() throws IOException {
        while (true) {
            BackendMessage m = read();
            switch (m) {
                case CopyData d -> { }
                case CopyDone d -> {
                    return new PgException("COPY ... TO STDOUT sends its rows as COPY data, which execute() and"
                            + " fetch() cannot return; use copyFromQuery() or copyFromTable() (the data was dropped)");
                }
                case ErrorResponse e -> {
                    return firstError(null, e);
                }
                default -> handleAsyncOrFail(m, "COPY TO STDOUT");
            }
        }
    }

    void flush() throws IOException {
        flushStarted = true;
        ByteBuffer bytes = out.flip();
        if (bytes.remaining() > CONCURRENT_WRITE_THRESHOLD) {
            writeConcurrently(bytes);
        } else if (in.isClocked()) {
            in.clockWrite(channel, bytes); // the read timeout covers a write the peer stopped taking
        } else {
            channel.write(bytes);
        }
        out.reset();
    }

    /**
     * Writes a large request on a virtual thread of its own while the caller goes on to read the
     * replies. A long pipeline whose replies filled the server's send buffer would otherwise
     * stall both sides: the server waits for us to read, we wait for it to read.
     */
    private void writeConcurrently(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        Thread.ofVirtual().name("pgloom-writer-" + processId()).start(() -> {
            try {
                channel.write(ByteBuffer.wrap(copy));
            } catch (IOException e) {
                // The reader sees the same failure as a closed stream; make sure it does.
                abort("writing a large request failed: " + e.getMessage());
            }
        });
    }

    /**
     * Turns a failure in the middle of a request into the right exception. A server error that
     * the loop threw after ReadyForQuery leaves the session ready; everything else breaks it.
     */
    RuntimeException failed(Throwable e) {
        if (e instanceof PgException pe && !(pe instanceof ConnectionException) && state == SessionState.READY) {
            return pe;
        }
        if (e instanceof FatalServerError fatal) {
            markBroken("the server ended the session: " + fatal.error.getMessage(), fatal.error);
            return fatal.error;
        }
        String reason;
        boolean sent = flushStarted;
        if (e instanceof ClosedByInterruptException) {
            reason = "the thread was interrupted during a request, which closes a blocking channel";
        } else if (e instanceof AsynchronousCloseException || e instanceof IOException && state == SessionState.BROKEN
                && brokenReason != null) {
            // (TLS may report the channel an abort closed as some other I/O error: the abort's reason is the cause.)
            reason = brokenReason != null ? brokenReason : "the connection was closed by another thread";
        } else if (e instanceof ReadBuffer.ProtocolViolation) {
            reason = "protocol violation: " + e.getMessage();
        } else if (e instanceof IOException) {
            reason = "I/O error: " + e.getMessage();
        } else if (e instanceof PgException pe) {
            reason = pe.getMessage();
        } else {
            reason = "unexpected " + e;
        }
        markBroken(reason, e);
        if (e instanceof ConnectionException ce) {
            return ce;
        }
        return new ConnectionException("the connection is broken: " + reason, e, sent);
    }

    private void markBroken(String reason, Throwable cause) {
        if (state != SessionState.BROKEN) {
            brokenReason = reason;
        }
        brokenCause = cause;
        state = SessionState.BROKEN;
        stopReadDeadline();
        channel.close();
    }

    private static ReadBuffer.ProtocolViolation protocolViolation(String message) {
        return new ReadBuffer.ProtocolViolation(message);
    }

    /** A FATAL ErrorResponse in the middle of a request: the server is closing the session. */
    private static final class FatalServerError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient PgException error;

        FatalServerError(PgException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }
}
