package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgNotice;
import io.pgloom.Queries;
import io.pgloom.QueryRequest;
import io.pgloom.Row;
import io.pgloom.SessionChange;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;
import io.pgloom.internal.session.AsyncMessages;
import io.pgloom.internal.session.PreparedStatement;
import io.pgloom.internal.session.RowSink;
import io.pgloom.internal.session.Session;
import io.pgloom.internal.session.SessionEffects;
import io.pgloom.internal.types.TypeRegistry;
import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.NotificationResponse;
import io.pgloom.internal.wire.ParameterStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The implementation of {@link PgConnection}: a {@link Session} plus Java values, a statement
 * cache, transactions, timeouts and the one-operation-at-a-time rule.
 *
 * <p>Every query method reaches {@link #run(QueryRequest)}, and every operation runs inside the
 * {@link RequestGuard} (one at a time, command timeout, cancel, interrupt). Opening, with
 * multi-host and {@code target_session_attrs}, is {@link Connector}'s.
 */
public final class ClientConnection implements PgConnection {

    private static final System.Logger LOG = System.getLogger("io.pgloom");
    private static final System.Logger NOTICE_LOG = System.getLogger("io.pgloom.notice");

    private final ConnectOptions options;
    private final Session session;
    private final TypeRegistry types;
    private final StatementCache statements;
    /** See {@link #typesGeneration()}. */
    private int typesGeneration;
    private final List<Consumer<PgNotice>> logListeners = new CopyOnWriteArrayList<>();
    private final NotificationListeners notifications = new NotificationListeners();
    private final TransactionStack transactions;
    /** The cursor holding this connection, or null; while set, every other call is refused. */
    private volatile ClientCursor openCursor;
    private volatile Duration commandTimeout;
    private final RequestGuard guard;
    private final QueryObserver observer;
    /** Decodes a fetch's rows while it waits for more (see {@link DecodeAhead}). */
    private final DecodeAhead decodeAhead = new DecodeAhead();
    /** The shared, pipelined view, made on first use; see {@link #shared()}. */
    private volatile SharedQueries shared;
    /** pgloom's own state as of the clean state: what {@link #resetSession()} returns to. */
    private volatile Duration cleanCommandTimeout;
    private volatile List<Consumer<PgNotice>> cleanLogListeners = List.of();
    private volatile Object cleanCodecs;
    /** {@link SessionEffects} bits of pgloom's own state changed since the clean state. */
    private volatile int clientChanges;

    ClientConnection(ConnectOptions options, Session session, ConnectOptions.Endpoint endpoint, Listener listener) {
        this.options = options;
        this.session = session;
        this.types = new TypeRegistry(endpoint.host() + ":" + endpoint.port() + "/" + options.database());
        this.commandTimeout = options.commandTimeout();
        this.cleanCommandTimeout = commandTimeout;
        this.statements = new StatementCache(session, types, this::loadTypes,
                options.transactionPooler() ? 0 : options.statementCacheSize());
        this.transactions = new TransactionStack(this, session);
        this.guard = new RequestGuard(session, this::syncTransactions, () -> {
            if (notifications.hasPending()) {
                notifications.deliver();
            }
        });
        this.observer = new QueryObserver(options.queryListener(), session::processId);
        listener.connection = this;
        this.cleanCodecs = types.customCodecs();
    }

    /**
     * Opens a connection, trying each endpoint in order until one accepts; see {@link Connector}.
     *
     * @throws ConnectionException when none can be reached, naming each failure
     */
    public static PgConnection open(ConnectOptions options) {
        return Connector.open(options);
    }

    // ---- queries ----

    @Override
    public <T> T run(QueryRequest<T> request) {
        return request(commandTimeout, request);
    }

    // ---- pipelines ----

    @Override
    public io.pgloom.Pipeline pipeline() {
        return new ClientPipeline(this, false);
    }

    @Override
    public io.pgloom.Pipeline atomicPipeline() {
        return new ClientPipeline(this, true);
    }

    /** Sends a pipeline's queued statements; see {@link ClientPipeline#send}. */
    void syncPipeline(List<ClientPipeline.Item<?>> items, boolean atomic) {
        run(commandTimeout, () -> {
            ClientPipeline.send(items, atomic, session, statements, types, true, options.groupedReads());
            return null;
        });
    }

    @Override
    public io.pgloom.SharedConnection shared() {
        if (options.transactionPooler()) {
            throw new PgException("a shared connection needs prepared statements that stay on one server session;"
                    + " behind a transaction pooler (transaction_pooler=true) they do not");
        }
        SharedQueries s = shared;
        if (s == null) {
            s = guard.runIdle(() -> {
                if (shared == null) {
                    SharedQueries made = new SharedQueries(this, session, guard.lock(), types, statements.capacity());
                    guard.refuseWhile(made::isActive);
                    shared = made;
                }
                return shared;
            });
        }
        return s;
    }

    @Override
    public Queries withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new PgException("timeout must be zero (none) or positive, not " + timeout);
        }
        return new TimedQueries(this, timeout);
    }

    /** The query methods with a timeout of their own; see {@link #withTimeout}. */
    private record TimedQueries(ClientConnection c, Duration timeout) implements Queries {
        @Override
        public <T> T run(QueryRequest<T> request) {
            return c.request(timeout, request);
        }
    }

    /**
     * The one path every query method takes: {@code request} run under the request guard (lock,
     * timeout, cancel, interrupt) with {@code timeout}.
     */
    @SuppressWarnings("unchecked")
    private <T> T request(Duration timeout, QueryRequest<T> request) {
        return observer.observe(request, () -> run(timeout, () -> (T) switch (request) {
            case QueryRequest.Execute e -> executeLocked(e.sql(), e.args());
            case QueryRequest.ExecuteMany m -> {
                executeManyLocked(m.sql(), m.argsList());
                yield null;
            }
            case QueryRequest.Fetch f -> fetchLocked(f.sql(), f.args(), f.limit());
        }));
    }

    @Override
    public Duration ping(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new PgException("ping: timeout must be zero (none) or positive, not " + timeout);
        }
        long start = System.nanoTime();
        run(timeout, () -> session.simpleQuery(""));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    // ---- the locked bodies ----

    String executeLocked(String sql, Object[] args) {
        checkAndNoteSql(sql);
        if (options.transactionPooler() && startsWithListen(sql)) {
            throw refusedListen();
        }
        if (args == null || args.length == 0) {
            String tag = session.simpleQuery(sql);
            afterSimpleQuery(tag);
            return tag;
        }
        ParamValues.checkLimit(args);
        return withStatement(sql, statement -> {
            ParamValues.checkCount(args, statement);
            return session.execute(statement.name(), statement.parameterFormats,
                    new ParamValues(args, statement, types), statement.resultFormats, RowSink.DISCARD);
        });
    }

    void executeManyLocked(String sql, List<Object[]> argsList) {
        checkAndNoteSql(sql);
        if (argsList.isEmpty()) {
            return;
        }
        BatchRewrite rewrite = argsList.size() > 1 && statements.capacity() >= 16 ? BatchRewrite.of(sql) : null;
        if (rewrite != null) {
            executeRewritten(rewrite, argsList);
            return;
        }
        for (int i = 0; i < argsList.size(); i++) {
            try {
                ParamValues.checkLimit(argsList.get(i));
            } catch (PgException e) {
                throw new PgException("executeMany: argument list " + i + ": " + e.getMessage(), e);
            }
        }
        withStatement(sql, statement -> {
            List<ParamValues> values = new ArrayList<>(argsList.size());
            for (int i = 0; i < argsList.size(); i++) {
                Object[] args = argsList.get(i);
                try {
                    ParamValues.checkCount(args == null ? new Object[0] : args, statement);
                } catch (PgException e) {
                    throw new PgException("executeMany: argument list " + i + ": " + e.getMessage(), e);
                }
                values.add(new ParamValues(args, statement, types));
            }
            session.executeBatch(statement.name(), statement.parameterFormats, values, statement.resultFormats);
            return null;
        });
    }

    /**
     * Runs a batch of plain single-row inserts as multi-row ones (see {@link BatchRewrite}):
     * full statements of {@link BatchRewrite#rowsPerStatement()} rows, then the rest in powers of
     * two, so one SQL text needs at most eight prepared statements; all under one Sync.
     */
    private void executeRewritten(BatchRewrite rewrite, List<Object[]> argsList) {
        int columns = rewrite.columns();
        for (int i = 0; i < argsList.size(); i++) {
            Object[] args = argsList.get(i);
            int given = args == null ? 0 : args.length;
            if (given != columns) {
                throw new PgException("executeMany: argument list " + i + ": the query has " + columns
                        + (columns == 1 ? " parameter" : " parameters") + " but " + given
                        + (given == 1 ? " argument was" : " arguments were") + " given");
            }
        }
        int perStatement = rewrite.rowsPerStatement();
        List<Session.BatchEntry> entries = new ArrayList<>();
        for (int from = 0; from < argsList.size(); ) {
            int left = argsList.size() - from;
            int rows = left >= perStatement ? perStatement : Integer.highestOneBit(left);
            CachedStatement statement = statement(rewrite.sql(rows));
            Object[] flat = new Object[rows * columns];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(argsList.get(from + r), 0, flat, r * columns, columns);
            }
            entries.add(new Session.BatchEntry(statement.name(), statement.parameterFormats,
                    new ParamValues(flat, statement, types, columns, from), statement.resultFormats));
            from += rows;
        }
        session.executeBatch(entries);
    }

    List<Row> fetchLocked(String sql, Object[] args, int limit) {
        checkAndNoteSql(sql);
        Object[] a = args == null ? new Object[0] : args;
        ParamValues.checkLimit(a);
        return withStatement(sql, statement -> {
            ParamValues.checkCount(a, statement);
            RowShape shape = statement.shape;
            List<Row> rows = new ArrayList<>(Math.min(limit, Math.max(statement.lastRowCount, 10)));
            RowSink sink = shape == null ? RowSink.DISCARD : row -> {
                if (rows.size() < limit) {
                    rows.add(ClientRow.copyOf(shape, row));
                }
            };
            if (shape != null) {
                decodeAhead.start(rows);
                session.whileWaiting(decodeAhead);
            }
            try {
                session.execute(statement.name(), statement.parameterFormats, new ParamValues(a, statement, types),
                        statement.resultFormats, sink, limit == Integer.MAX_VALUE ? 0 : limit);
            } finally {
                if (shape != null) {
                    session.whileWaiting(null);
                    decodeAhead.stop();
                }
            }
            statement.lastRowCount = Math.min(rows.size(), 4096);
            return rows;
        });
    }

    /**
     * Runs {@code body} with the statement for {@code sql}, from the cache or freshly prepared.
     * When a cached plan went stale ("cached plan must not change result type" after an ALTER,
     * or the statement vanished after DISCARD ALL) it prepares again and retries once, unless
     * the error failed a transaction block, where a retry could not succeed. A cached statement
     * whose parameter types no longer fit the schema (a column changed type: 42804, or an
     * operator for the old type is gone: 42883) is prepared again too, outside a transaction
     * only, where the failed attempt left nothing behind.
     */
    <T> T withStatement(String sql, java.util.function.Function<CachedStatement, T> body) {
        boolean wasCached = statements.isCached(sql);
        CachedStatement statement = statement(sql);
        try {
            return body.apply(statement);
        } catch (PgException e) {
            boolean retry = isStalePlan(e) ? session.transactionStatus() != 'E'
                    : wasCached && isStaleParameterTypes(e) && session.transactionStatus() == 'I';
            if (!retry || !session.isUsable()) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "re-preparing after: {0}", e.getMessage());
            statements.forget(sql, statement, "26000".equals(e.sqlState()));
            return body.apply(statement(sql));
        }
    }

    static boolean isStalePlan(PgException e) {
        String state = e.sqlState();
        if ("26000".equals(state)) {
            return true; // prepared statement does not exist
        }
        return "0A000".equals(state) && e.serverMessage() != null
                && e.serverMessage().startsWith("cached plan must not change result type");
    }

    private static boolean isStaleParameterTypes(PgException e) {
        return io.pgloom.SqlState.DATATYPE_MISMATCH.equals(e.sqlState())
                || io.pgloom.SqlState.UNDEFINED_FUNCTION.equals(e.sqlState());
    }

    private CachedStatement statement(String sql) {
        return statements.get(sql);
    }

    // ---- cursors and prepared statements (ClientCursor, ClientPreparedQuery) ----

    /** Rows each Execute of a cursor asks for, unless the caller says otherwise. */
    static final int CURSOR_BATCH_ROWS = 1000;

    @Override
    public io.pgloom.RowCursor cursor(String sql, Object... args) {
        return cursor(CURSOR_BATCH_ROWS, sql, args);
    }

    @Override
    public io.pgloom.RowCursor cursor(int batchRows, String sql, Object... args) {
        if (batchRows < 1) {
            throw new PgException("a cursor's batch must be at least 1 row, not " + batchRows);
        }
        checkAndNoteSql(sql);
        return observedCursor(sql, () -> run(commandTimeout,
                () -> withStatement(sql, statement -> openCursor(statement, args, batchRows))));
    }

    /**
     * Opens a cursor through {@code open} and reports it to the query listener and JFR when it
     * ends (its last row read, its error, or its close), with the rows read, or now if it fails
     * to open.
     */
    io.pgloom.RowCursor observedCursor(String sql, Supplier<io.pgloom.RowCursor> open) {
        QueryObserver.Pending pending = observer.started(sql);
        if (pending == null) {
            return open.get();
        }
        try {
            ClientCursor cursor = (ClientCursor) open.get();
            cursor.reportTo(pending);
            return cursor;
        } catch (PgException e) {
            pending.ended(-1, e);
            throw e;
        }
    }

    /** Reports a prepared query's run as a query on {@code sql}; see {@link QueryObserver}. */
    <T> T observed(String sql, Supplier<T> body) {
        return observer.observe(sql, body);
    }

    /** Binds {@code statement} to a portal and hands this connection to the cursor reading it. Locked. */
    io.pgloom.RowCursor openCursor(CachedStatement statement, Object[] args, int batchRows) {
        Object[] a = args == null ? new Object[0] : args;
        ParamValues.checkCount(a, statement);
        var portal = io.pgloom.internal.session.Portal.open(session, statement.name(), statement.parameterFormats,
                new ParamValues(a, statement, types), statement.resultFormats, batchRows);
        ClientCursor cursor = new ClientCursor(this, portal, statement.shape);
        openCursor = cursor;
        return cursor;
    }

    /** A cursor ended (read to the end, failed, or closed): the connection takes calls again. */
    void cursorEnded(ClientCursor cursor) {
        if (openCursor == cursor) {
            openCursor = null;
            syncTransactions();
        }
    }

    /** A cursor found the stream out of step with its description: the connection is gone. */
    void abortFromCursor(String reason) {
        session.abort(reason);
    }

    boolean hasOpenCursor() {
        return openCursor != null;
    }

    @Override
    public io.pgloom.PreparedQuery prepare(String sql) {
        checkAndNoteSql(sql);
        if (options.transactionPooler()) {
            throw new PgException("prepare() is refused with transaction_pooler=true: a named statement lives in one"
                    + " server session, and a pooler in transaction mode may run the next call on another; the"
                    + " query methods (execute, fetch, ...) describe each statement afresh and work there");
        }
        return run(commandTimeout, () -> new ClientPreparedQuery(this, sql));
    }

    /** Parses and describes {@code sql} as the named statement {@code name}, learning its types. Locked. */
    CachedStatement prepareNamed(String name, String sql) {
        PreparedStatement prepared = session.prepare(name, sql);
        learnTypesOf(prepared);
        return new CachedStatement(prepared, types);
    }

    Session session() {
        return session;
    }

    /** Introspects the unknown types of a statement described outside the cache (COPY's columns). */
    void learnTypesOf(PreparedStatement prepared) {
        statements.learnTypes(prepared);
    }

    /**
     * Mirrors what the SQL just run dropped on the server: DISCARD ALL and DEALLOCATE ALL drop
     * every prepared statement; UNLISTEN (of one channel or all) and DISCARD ALL end LISTENs, so
     * the callbacks of channels no longer listened to are dropped too.
     */
    private void afterSimpleQuery(String tag) {
        int resets = session.takeSessionResets();
        if ((resets & Session.DROPPED_STATEMENTS) != 0) {
            statements.forgetAll();
        }
        if ((resets & Session.DROPPED_LISTENS) != 0 && !notifications.isEmpty() && session.isUsable()) {
            java.util.Set<String> still = new java.util.HashSet<>();
            for (Row r : fetchLocked("SELECT pg_listening_channels()", new Object[0], Integer.MAX_VALUE)) {
                still.add(r.get(0, String.class));
            }
            notifications.retainChannels(still);
        }
        syncTransactions();
    }

    /** Whether {@code sql} starts with the keyword LISTEN (after blanks; comments are not skipped). */
    private static boolean startsWithListen(String sql) {
        int i = 0;
        while (i < sql.length() && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) {
            i++;
        }
        return sql.regionMatches(true, i, "LISTEN", 0, 6)
                && (i + 6 == sql.length() || !Character.isLetterOrDigit(sql.charAt(i + 6)) && sql.charAt(i + 6) != '_');
    }

    private static PgException refusedListen() {
        return new PgException("LISTEN is refused with transaction_pooler=true: a pooler in transaction mode"
                + " (PgBouncer pool_mode=transaction) gives each transaction any server session, so"
                + " notifications would go to a session this connection may never see again; listen on a"
                + " direct connection to the server instead");
    }

    static void checkSql(String sql) {
        if (sql == null) {
            throw new PgException("the query text is null");
        }
        int nul = sql.indexOf('\0');
        if (nul >= 0) {
            throw new PgException("the query text contains a NUL character at index " + nul);
        }
    }

    /** {@link #checkSql}, and notes what the text shows it may change in the session (see {@link SessionEffects#ofSql}). */
    private void checkAndNoteSql(String sql) {
        checkSql(sql);
        session.addChanges(SessionEffects.ofSql(sql));
    }

    // ---- one operation at a time, with a timeout ----

    /** Runs a locked body through the {@link RequestGuard}. */
    <T> T run(Duration timeout, Supplier<T> body) {
        return guard.run(timeout, () -> {
            if (openCursor != null) {
                throw new PgException("connection busy: a cursor is open on it; close the cursor (or read it to"
                        + " the end) before the next call");
            }
            return body.get();
        });
    }

    // ---- transactions ----

    @Override
    public Transaction transaction() {
        return transaction(TransactionOptions.DEFAULT);
    }

    @Override
    public Transaction transaction(TransactionOptions txOptions) {
        return run(commandTimeout, () -> transactions.begin(txOptions));
    }

    /** Ends {@code tx}, enforcing the order in which transactions nest. */
    void endTransaction(ClientTransaction tx, boolean commit) {
        run(commandTimeout, () -> {
            transactions.end(tx, commit);
            return null;
        });
    }

    /** Closes {@code tx}: rolls back what is still open, inner ones first, then complains if out of order. */
    void closeTransaction(ClientTransaction tx) {
        if (!tx.isActive()) {
            return;
        }
        if (session.state() == io.pgloom.internal.session.SessionState.BROKEN || isClosed()) {
            // The server ended the transaction with the session; there is nothing to roll back.
            transactions.markAllEnded("the connection closed");
            return;
        }
        boolean outOfOrder = transactions.endInnerOnesOf(tx);
        endTransaction(tx, false);
        if (outOfOrder) {
            throw new PgException("transactions closed out of order: an inner transaction was still open when"
                    + " this one closed; both were rolled back");
        }
    }

    private void syncTransactions() {
        transactions.sync();
    }

    @Override
    public boolean isInTransaction() {
        return session.transactionStatus() != 'I';
    }

    // ---- state and lifecycle ----

    @Override
    public boolean isClosed() {
        return !session.isUsable() && session.state() != io.pgloom.internal.session.SessionState.BUSY;
    }

    @Override
    public void cancel() {
        ClientCursor cursor = openCursor;
        if (cursor != null) {
            cursor.cancel(); // between batches the server is idle and would ignore the CancelRequest
        }
        guard.cancelCurrent();
    }

    @Override
    public Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public void setCommandTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new PgException("command timeout must be zero (none) or positive, not " + timeout);
        }
        this.commandTimeout = timeout;
    }

    @Override
    public int serverVersion() {
        return parseServerVersion(session.parameters().getOrDefault("server_version", "0"));
    }

    /** "17.5" → 170005, "9.6.24" → 90624, "18beta1" → 180000, as server_version_num does. */
    static int parseServerVersion(String version) {
        String[] parts = version.split("[^0-9]+");
        int major = parts.length > 0 && !parts[0].isEmpty() ? Integer.parseInt(parts[0]) : 0;
        int second = parts.length > 1 && !parts[1].isEmpty() ? Integer.parseInt(parts[1]) : 0;
        if (major >= 10) {
            return major * 10000 + second;
        }
        int third = parts.length > 2 && !parts[2].isEmpty() ? Integer.parseInt(parts[2]) : 0;
        return major * 10000 + second * 100 + third;
    }

    /**
     * The protocol version agreed with the server: "3.2" with PostgreSQL 18 and later, else "3.0".
     * Not part of {@link PgConnection}; for diagnostics and tests.
     */
    public String protocolVersion() {
        return "3." + session.protocolMinorVersion();
    }

    @Override
    public int serverPid() {
        return session.processId();
    }

    @Override
    public Map<String, String> serverParameters() {
        return Collections.unmodifiableMap(session.parameters());
    }

    @Override
    public void addLogListener(Consumer<PgNotice> listener) {
        logListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeLogListener(Consumer<PgNotice> listener) {
        logListeners.remove(listener);
    }

    // ---- LISTEN / NOTIFY ----

    @Override
    public void addListener(String channel, Consumer<io.pgloom.PgNotification> callback) {
        java.util.Objects.requireNonNull(callback, "callback");
        if (options.transactionPooler()) {
            throw refusedListen();
        }
        String listen = "LISTEN " + CopyCommands.quoteIdentifier(channel);
        clientChanges |= SessionEffects.bit(SessionChange.NOTIFICATION_LISTENERS);
        run(commandTimeout, () -> {
            if (notifications.add(channel, callback)) {
                try {
                    session.simpleQuery(listen);
                } catch (RuntimeException e) {
                    notifications.remove(channel, callback);
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void removeListener(String channel, Consumer<io.pgloom.PgNotification> callback) {
        run(commandTimeout, () -> {
            if (notifications.remove(channel, callback)) {
                session.simpleQuery("UNLISTEN " + CopyCommands.quoteIdentifier(channel));
            }
            return null;
        });
    }

    @Override
    public int waitForNotifications(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new PgException("waitForNotifications needs a positive timeout, not " + timeout);
        }
        long before = notifications.deliveredCount();
        if (!notifications.hasPending()) {
            run(Duration.ZERO, () -> session.awaitNotification(timeout)); // delivers as it ends
        }
        notifications.deliver();
        return (int) (notifications.deliveredCount() - before);
    }

    // ---- COPY ----

    @Override
    public long copyToTable(String table, java.io.InputStream source, String... options) {
        return run(commandTimeout, () -> CopyCommands.toTable(session, table, source, options));
    }

    @Override
    public long copyFromTable(String table, java.io.OutputStream sink, String... options) {
        return run(commandTimeout, () -> CopyCommands.fromTable(session, table, sink, options));
    }

    @Override
    public long copyFromQuery(String query, java.io.OutputStream sink, String... options) {
        checkAndNoteSql(query);
        return run(commandTimeout, () -> CopyCommands.fromQuery(session, query, sink, options));
    }

    @Override
    public long copyRecordsToTable(String table, Iterable<Object[]> records, String... columns) {
        return run(commandTimeout, () -> CopyCommands.recordsToTable(session, types, this, table, records, columns));
    }

    @Override
    public <T> void setTypeCodec(String typeName, String schema, io.pgloom.codec.TypeCodec<T> codec) {
        run(commandTimeout, () -> {
            clientChanges |= SessionEffects.bit(SessionChange.TYPE_CODECS);
            types.setTypeCodec(typeName, schema, codec, this::loadTypes);
            // Cached statements chose their formats with the old codec: prepare them again.
            dropStatementCache();
            return null;
        });
    }

    @Override
    public void resetTypeCodec(String typeName, String schema) {
        run(commandTimeout, () -> {
            clientChanges |= SessionEffects.bit(SessionChange.TYPE_CODECS);
            types.resetTypeCodec(typeName, schema, this::loadTypes);
            dropStatementCache();
            return null;
        });
    }

    @Override
    public void reloadSchemaState() {
        run(commandTimeout, () -> {
            types.forgetLearnedTypes();
            dropStatementCache();
            return null;
        });
    }

    private List<Row> loadTypes(String sql, Object... args) {
        return fetchLocked(sql, args, Integer.MAX_VALUE);
    }

    private void dropStatementCache() {
        statements.closeAll();
        typesGeneration++;
    }

    /**
     * Changes each time the codecs or the learned types change, so that what was worked out
     * with the old ones (a {@link ClientPreparedQuery}'s formats and row shape) is worked out
     * again. Read and written under the connection's lock.
     */
    int typesGeneration() {
        return typesGeneration;
    }

    // ---- session state: what a user changed, and the reset ----

    private static final SessionChange[] CHANGES = SessionChange.values();

    /**
     * The statements of a full reset, in a transaction block of their own (see
     * {@link Session#queueReset}): the role and session authorization (which RESET ALL leaves
     * alone), cursors, LISTENs, session advisory locks, temporary objects, sequence state and
     * every setting; with {@code DEALLOCATE ALL} when SQL-level PREPARE may have run.
     */
    static final String RESET = "RESET SESSION AUTHORIZATION; RESET ROLE; CLOSE ALL; UNLISTEN *;"
            + " SELECT pg_catalog.pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES; RESET ALL";

    @Override
    public java.util.Set<SessionChange> sessionChanges() {
        int bits = session.changes() | clientChanges;
        if (session.transactionStatus() != 'I') {
            bits |= SessionEffects.bit(SessionChange.TRANSACTION);
        }
        if (!commandTimeout.equals(cleanCommandTimeout)) {
            bits |= SessionEffects.bit(SessionChange.COMMAND_TIMEOUT);
        }
        if (!logListeners.equals(cleanLogListeners)) {
            // Compared, not tracked: a listener added and removed again leaves nothing to undo.
            bits |= SessionEffects.bit(SessionChange.LOG_LISTENERS);
        }
        if (guard.isBusy() || !session.isUsable()) {
            bits |= SessionEffects.UNKNOWN; // mid-request in another thread, or broken: who knows
        }
        if (bits == 0) {
            return java.util.Set.of();
        }
        java.util.EnumSet<SessionChange> set = java.util.EnumSet.noneOf(SessionChange.class);
        for (SessionChange c : CHANGES) {
            if ((bits & SessionEffects.bit(c)) != 0) {
                set.add(c);
            }
        }
        return java.util.Collections.unmodifiableSet(set);
    }

    @Override
    public void resetSession() {
        run(Duration.ZERO, () -> {
            session.dropQueuedBegin(); // a transaction that never ran a statement left nothing
            int serverBits = session.changes();
            boolean serverChanged = serverBits != 0 || session.transactionStatus() != 'I';
            transactions.markAllEnded("the connection's session was reset");
            notifications.clear();
            if (!logListeners.equals(cleanLogListeners)) {
                logListeners.clear();
                logListeners.addAll(cleanLogListeners);
            }
            commandTimeout = cleanCommandTimeout;
            clientChanges = 0;
            boolean codecsChanged = types.restoreCustomCodecs(cleanCodecs);
            int dropsStatements = SessionEffects.PREPARED_STATEMENTS | SessionEffects.UNKNOWN;
            if ((serverBits & dropsStatements) != 0) {
                statements.forgetAll(); // DEALLOCATE ALL below drops them on the server
            } else if (codecsChanged) {
                dropStatementCache(); // they chose their formats with the borrower's codecs
            }
            if (serverChanged) {
                session.queueReset((serverBits & dropsStatements) != 0 ? RESET + "; DEALLOCATE ALL" : RESET);
            }
            return null;
        });
    }

    @Override
    public void markSessionClean() {
        run(Duration.ZERO, () -> {
            cleanCommandTimeout = commandTimeout;
            cleanLogListeners = List.copyOf(logListeners);
            cleanCodecs = types.customCodecs();
            clientChanges = 0;
            session.clearChanges();
            return null;
        });
    }

    @Override
    public long roundTrips() {
        return session.roundTrips();
    }

    /** The options this connection was opened with. */
    public ConnectOptions options() {
        return options;
    }

    /** The type registry, for codecs and introspection. */
    public TypeRegistry types() {
        return types;
    }

    @Override
    public void close() {
        SharedQueries s = shared;
        if (s != null && s.shutdown("the connection was closed while pipelined requests were in flight")) {
            return; // the session was aborted under them
        }
        guard.closeWith(() -> {
            transactions.markAllEnded("the connection closed");
            session.close();
        }, () -> {
            // Another thread is mid-request: closing the channel makes its read fail at once.
            session.abort("the connection was closed by another thread during a request");
        });
    }

    @Override
    public String toString() {
        return "PgConnection{" + session.endpoint().host() + ":" + session.endpoint().port() + ", pid="
                + serverPid() + ", " + session.state() + "}";
    }

    // ---- asynchronous messages ----

    private void notice(NoticeResponse n) {
        PgNotice notice = PgNotice.of(n.fields());
        System.Logger.Level level = switch (notice.severity() == null ? "" : notice.severity()) {
            case "WARNING" -> System.Logger.Level.WARNING;
            default -> options.noticeLogLevel();
        };
        if (level != System.Logger.Level.OFF) {
            NOTICE_LOG.log(level, notice.toString());
        }
        for (Consumer<PgNotice> l : logListeners) {
            try {
                l.accept(notice);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a log listener failed", e);
            }
        }
    }

    /** Routes the session's asynchronous messages to the connection, which exists only after startup. */
    static final class Listener implements AsyncMessages {
        volatile ClientConnection connection;

        @Override
        public void notice(NoticeResponse n) {
            ClientConnection c = connection;
            if (c != null) {
                c.notice(n);
            } else {
                PgNotice notice = PgNotice.of(n.fields()); // during startup: no options' level yet
                NOTICE_LOG.log("WARNING".equals(notice.severity()) ? System.Logger.Level.WARNING
                        : System.Logger.Level.DEBUG, notice.toString());
            }
        }

        @Override
        public void notification(NotificationResponse n) {
            ClientConnection c = connection;
            if (c != null) {
                c.notifications.queue(new io.pgloom.PgNotification(n.processId(), n.channel(), n.payload()));
            }
        }

        @Override
        public void parameterStatus(ParameterStatus s) {
        }
    }
}
