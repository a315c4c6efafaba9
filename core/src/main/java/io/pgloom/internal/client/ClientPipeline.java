package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.Pipeline;
import io.pgloom.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Pipeline}: statements queued by one caller, sent by {@link #sync()} in one write through
 * {@link ClientConnection#syncPipeline}.
 */
final class ClientPipeline implements Pipeline {

    /** What a statement's result is made of. */
    enum Kind { TAG, ROWS, ROW, VALUE }

    private final ClientConnection connection;
    private final boolean atomic;
    private List<Item<?>> queued = new ArrayList<>();

    ClientPipeline(ClientConnection connection, boolean atomic) {
        this.connection = connection;
        this.atomic = atomic;
    }

    @Override
    public Result<String> execute(String sql, Object... args) {
        return add(new Item<String>(sql, args, Kind.TAG, null));
    }

    @Override
    public Result<List<Row>> fetch(String sql, Object... args) {
        return add(new Item<List<Row>>(sql, args, Kind.ROWS, null));
    }

    @Override
    public Result<Row> fetchRow(String sql, Object... args) {
        return add(new Item<Row>(sql, args, Kind.ROW, null));
    }

    @Override
    public Result<Object> fetchVal(String sql, Object... args) {
        return add(new Item<Object>(sql, args, Kind.VALUE, null));
    }

    @Override
    public <T> Result<T> fetchVal(Class<T> type, String sql, Object... args) {
        return add(new Item<T>(sql, args, Kind.VALUE, java.util.Objects.requireNonNull(type, "type")));
    }

    private <T> Item<T> add(Item<T> item) {
        queued.add(item);
        return item;
    }

    @Override
    public void sync() {
        if (queued.isEmpty()) {
            return;
        }
        List<Item<?>> items = queued;
        queued = new ArrayList<>();
        try {
            connection.syncPipeline(items, atomic);
        } catch (RuntimeException e) {
            for (Item<?> item : items) {
                if (!item.done) {
                    item.fail(e instanceof PgException pe ? pe : new PgException("the pipeline failed: " + e, e));
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        sync();
    }

    // ---- inside the connection's lock ----

    /**
     * Prepares the items' new statements in one round trip, so that a pipeline of N new texts
     * costs two round trips, not N + 1; returns the texts the server refused, with its errors.
     * A failure of the lookahead itself, on a session still usable, leaves each text to be
     * prepared on its own as before.
     */
    private static java.util.Map<String, PgException> prepareAhead(List<Item<?>> items, StatementCache statements,
                                                                   io.pgloom.internal.session.Session session) {
        if (items.size() < 2) {
            return java.util.Map.of();
        }
        List<String> sqls = new ArrayList<>(items.size());
        for (Item<?> item : items) {
            sqls.add(item.sql);
        }
        try {
            return statements.prepareAhead(sqls);
        } catch (PgException e) {
            if (!session.isUsable()) {
                throw e;
            }
            return java.util.Map.of();
        }
    }

    /**
     * Prepares what is new, then sends every item in one write. An item whose statement cannot be
     * prepared or whose arguments are refused fails alone (in an atomic pipeline: all fail and
     * nothing is sent). Statements whose cached plan went stale run once more.
     *
     * @param groupReads let consecutive plain reads share one Sync when no transaction block is
     *        open (see {@link io.pgloom.ConnectOptions.Builder#groupedReads}); those that were
     *        rolled back or skipped because another failed run again, each with its own Sync
     */
    static void send(List<Item<?>> items, boolean atomic, io.pgloom.internal.session.Session session,
                     StatementCache statements, io.pgloom.internal.types.TypeRegistry types, boolean retry,
                     boolean groupReads) {
        List<Item<?>> sending = new ArrayList<>(items.size());
        List<CachedStatement> used = new ArrayList<>(items.size());
        List<io.pgloom.internal.session.Session.BatchEntry> entries = new ArrayList<>(items.size());
        List<io.pgloom.internal.session.RowSink> sinks = new ArrayList<>(items.size());
        java.util.Map<String, PgException> refused = prepareAhead(items, statements, session);
        for (Item<?> item : items) {
            try {
                ClientConnection.checkSql(item.sql);
                session.addChanges(io.pgloom.internal.session.SessionEffects.ofSql(item.sql));
                PgException refusedAhead = refused.get(item.sql);
                if (refusedAhead != null) {
                    throw refusedAhead;
                }
                CachedStatement statement = statements.get(item.sql);
                ParamValues.checkCount(item.args, statement);
                entries.add(new io.pgloom.internal.session.Session.BatchEntry(statement.name(),
                        statement.parameterFormats, new ParamValues(item.args, statement, types),
                        statement.resultFormats, item.rowLimit() == 1 ? 1 : 0));
                sinks.add(sink(item, statement));
                sending.add(item);
                used.add(statement);
            } catch (PgException e) {
                if (!session.isUsable()) {
                    throw e;
                }
                item.fail(e);
                if (atomic) {
                    failOthers(items, item, "it was not sent");
                    return;
                }
            }
        }
        if (sending.isEmpty()) {
            return;
        }
        boolean[] shareSync = null;
        if (groupReads && !atomic && sending.size() > 1 && session.transactionStatus() == 'I') {
            shareSync = new boolean[sending.size()];
            for (int i = 0; i < shareSync.length; i++) {
                shareSync[i] = used.get(i).plainRead;
            }
        }
        io.pgloom.internal.session.Session.Outcome[] outcomes;
        try {
            outcomes = session.executeEach(entries, sinks, atomic, shareSync);
        } catch (PgException e) {
            if (!session.isUsable()) {
                throw e;
            }
            // Refused while encoding, before a byte was sent: find whose values, and run the rest.
            if (atomic) {
                for (Item<?> item : sending) {
                    item.fail(e);
                }
                return;
            }
            failUnencodable(sending, entries);
            List<Item<?>> rest = withoutFailed(sending);
            if (rest.size() == sending.size()) {
                for (Item<?> item : sending) {
                    item.fail(e);
                }
                return;
            }
            send(rest, false, session, statements, types, retry, groupReads);
            return;
        }
        List<Item<?>> stale = new ArrayList<>();
        List<Item<?>> rerun = new ArrayList<>();
        Item<?> failed = null;
        for (int i = 0; i < sending.size(); i++) {
            var outcome = outcomes[i];
            Item<?> item = sending.get(i);
            if (outcome != null && outcome.rerun()) {
                item.rows.clear(); // rows of a run the server rolled back
                rerun.add(item);
                continue;
            }
            if (outcome == null || outcome.error() == null) {
                if (outcome != null) {
                    item.succeed(outcome.tag());
                }
                continue;
            }
            if (!atomic && retry && isStalePlan(outcome.error()) && session.transactionStatus() != 'E') {
                statements.forget(item.sql, used.get(i), "26000".equals(outcome.error().sqlState()));
                item.rows.clear();
                stale.add(item);
                continue;
            }
            item.fail(outcome.error());
            failed = item;
        }
        if (atomic && failed != null) {
            failOthers(sending, failed, "none of the atomic pipeline was kept");
        }
        if (!stale.isEmpty()) {
            send(stale, false, session, statements, types, false, groupReads);
        }
        if (!rerun.isEmpty()) {
            send(rerun, false, session, statements, types, retry, false);
        }
    }

    private static io.pgloom.internal.session.RowSink sink(Item<?> item, CachedStatement statement) {
        RowShape shape = statement.shape;
        int limit = item.rowLimit();
        if (shape == null || limit == 0) {
            return io.pgloom.internal.session.RowSink.DISCARD;
        }
        List<Row> rows = item.rows;
        return row -> {
            if (rows.size() < limit) {
                rows.add(ClientRow.copyOf(shape, row));
            }
        };
    }

    private static void failOthers(List<Item<?>> items, Item<?> culprit, String consequence) {
        int at = items.indexOf(culprit) + 1;
        for (Item<?> item : items) {
            if (item != culprit) {
                item.fail(new PgException("statement " + at + " of the atomic pipeline failed, so " + consequence
                        + ": " + culprit.error().getMessage(), culprit.error()));
            }
        }
    }

    /** Encodes each item's Bind alone to find the ones whose values are refused; fails those. */
    private static void failUnencodable(List<Item<?>> items, List<io.pgloom.internal.session.Session.BatchEntry> entries) {
        io.pgloom.internal.io.WriteBuffer scratch = new io.pgloom.internal.io.WriteBuffer(1024);
        for (int i = 0; i < items.size(); i++) {
            var e = entries.get(i);
            try {
                io.pgloom.internal.wire.Bind.encode(scratch, e.statement(), e.parameterFormats(), e.values(),
                        e.resultFormats());
            } catch (RuntimeException refused) {
                items.get(i).fail(refused instanceof PgException pe ? pe
                        : new PgException("the statement was not sent: " + refused.getMessage(), refused));
            } finally {
                scratch.reset();
            }
        }
    }

    private static List<Item<?>> withoutFailed(List<Item<?>> items) {
        List<Item<?>> rest = new ArrayList<>();
        for (Item<?> item : items) {
            if (!item.failed()) {
                rest.add(item);
            }
        }
        return rest;
    }

    private static boolean isStalePlan(PgException e) {
        String state = e.sqlState();
        return "26000".equals(state) || "0A000".equals(state) && e.serverMessage() != null
                && e.serverMessage().startsWith("cached plan must not change result type");
    }

    /** One queued statement and, after its sync, its outcome. */
    static final class Item<T> implements Result<T> {
        final String sql;
        final Object[] args;
        final Kind kind;
        final Class<T> type;
        final List<Row> rows = new ArrayList<>();
        private Object value;
        private PgException error;
        private boolean done;

        Item(String sql, Object[] args, Kind kind, Class<T> type) {
            this.sql = sql;
            this.args = args == null ? new Object[0] : args;
            this.kind = kind;
            this.type = type;
        }

        int rowLimit() {
            return kind == Kind.ROWS ? Integer.MAX_VALUE : kind == Kind.TAG ? 0 : 1;
        }

        void succeed(String tag) {
            try {
                value = switch (kind) {
                    case TAG -> tag;
                    case ROWS -> rows;
                    case ROW -> rows.isEmpty() ? null : rows.get(0);
                    case VALUE -> firstValue();
                };
                done = true;
            } catch (PgException e) {
                fail(e);
            }
        }

        private Object firstValue() {
            if (rows.isEmpty()) {
                return null;
            }
            Row row = rows.get(0);
            if (row.size() == 0) {
                throw new PgException("fetchVal: the query returned a row with no columns");
            }
            return type == null ? row.get(0) : row.get(0, type);
        }

        void fail(PgException e) {
            error = e;
            value = null;
            done = true;
        }

        boolean failed() {
            return done && error != null;
        }

        PgException error() {
            return error;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get() {
            if (!done) {
                throw new PgException("not synced yet: call sync() (or close the pipeline) before get()");
            }
            if (error != null) {
                throw error;
            }
            return (T) value;
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }
}
