package io.pgloom.internal.client;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.PreparedQuery;
import io.pgloom.Row;
import io.pgloom.RowCursor;
import io.pgloom.internal.session.RowSink;
import io.pgloom.internal.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The implementation of {@link PreparedQuery}: a named statement outside the connection's
 * statement cache, so eviction never drops it; its calls run through the connection's lock and
 * timeout like the connection's own.
 */
final class ClientPreparedQuery implements PreparedQuery {

    /** Names only need to be unique within a session; one counter for all keeps them short. */
    private static final AtomicLong NAMES = new AtomicLong();

    private final ClientConnection connection;
    private final Session session;
    private final String sql;
    private final String name;
    private CachedStatement statement;
    /** The connection's {@link ClientConnection#typesGeneration()} that {@link #statement} was built in. */
    private int typesGeneration;
    private boolean closed;

    /** Prepares {@code sql} on the server; runs inside the connection's lock. */
    ClientPreparedQuery(ClientConnection connection, String sql) {
        this.connection = connection;
        this.session = connection.session();
        this.sql = sql;
        this.name = "pgloom_q" + NAMES.incrementAndGet();
        this.statement = connection.prepareNamed(name, sql);
        this.typesGeneration = connection.typesGeneration();
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public List<Column> columns() {
        CachedStatement s = statement;
        return s.shape == null ? List.of() : s.shape.columns;
    }

    @Override
    public List<String> parameterTypes() {
        int[] oids = statement.parameterOids;
        List<String> names = new ArrayList<>(oids.length);
        for (int oid : oids) {
            names.add(connection.types().typeName(oid));
        }
        return List.copyOf(names);
    }

    @Override
    public String execute(Object... args) {
        return call(s -> session.execute(s.name(), s.parameterFormats, values(s, args), s.resultFormats,
                RowSink.DISCARD));
    }

    @Override
    public void executeMany(List<Object[]> argsList) {
        call(s -> {
            List<ParamValues> values = new ArrayList<>(argsList.size());
            for (int i = 0; i < argsList.size(); i++) {
                try {
                    values.add(values(s, argsList.get(i)));
                } catch (PgException e) {
                    throw new PgException("executeMany: argument list " + i + ": " + e.getMessage(), e);
                }
            }
            if (!values.isEmpty()) {
                session.executeBatch(s.name(), s.parameterFormats, values, s.resultFormats);
            }
            return null;
        });
    }

    @Override
    public List<Row> fetch(Object... args) {
        return call(s -> rows(s, args, 0));
    }

    @Override
    public Row fetchRow(Object... args) {
        return call(s -> {
            List<Row> rows = rows(s, args, 1);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    @Override
    public Object fetchVal(Object... args) {
        Row row = fetchRow(args);
        return row == null ? null : firstColumn(row).get(0);
    }

    @Override
    public <T> T fetchVal(Class<T> type, Object... args) {
        Row row = fetchRow(args);
        return row == null ? null : firstColumn(row).get(0, type);
    }

    @Override
    public RowCursor cursor(Object... args) {
        return connection.observedCursor(sql, () -> run(s -> connection.openCursor(s, args,
                ClientConnection.CURSOR_BATCH_ROWS)));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connection.isClosed()) {
            return; // the server dropped it with the session
        }
        if (connection.hasOpenCursor()) {
            session.closeStatementLater(name); // goes out in front of the next request
            return;
        }
        connection.run(connection.commandTimeout(), () -> {
            session.closeStatementLater(name);
            session.closeQueuedStatements();
            return null;
        });
    }

    @Override
    public String toString() {
        return "PreparedQuery{" + name + ": " + sql + "}";
    }

    /**
     * Runs {@code body} with the statement under the connection's lock. When DDL made the plan
     * stale, or the server dropped the statement, it is prepared again under the same name and
     * the call retried once, unless the error failed a transaction block.
     */
    private <T> T call(Function<CachedStatement, T> body) {
        return connection.observed(sql, () -> run(body)); // the query listener and JFR see it
    }

    /** {@link #call} without reporting: a cursor reports itself when it ends. */
    private <T> T run(Function<CachedStatement, T> body) {
        return connection.run(connection.commandTimeout(), () -> {
            if (closed) {
                throw new PgException("the prepared query was closed: " + sql);
            }
            if (typesGeneration != connection.typesGeneration()) {
                // A codec was set or reset since: the formats to bind and to ask for, and the
                // row decoders, are chosen again. The server's statement stays as it is.
                connection.learnTypesOf(statement.prepared);
                statement = new CachedStatement(statement.prepared, connection.types());
                typesGeneration = connection.typesGeneration();
            }
            try {
                return body.apply(statement);
            } catch (PgException e) {
                if (!ClientConnection.isStalePlan(e) || session.transactionStatus() == 'E' || !session.isUsable()) {
                    throw e;
                }
                if (!"26000".equals(e.sqlState())) {
                    session.closeStatementLater(name); // sent in front of the Parse that replaces it
                }
                statement = connection.prepareNamed(name, sql);
                typesGeneration = connection.typesGeneration();
                return body.apply(statement);
            }
        });
    }

    private ParamValues values(CachedStatement s, Object[] args) {
        Object[] a = args == null ? new Object[0] : args;
        ParamValues.checkCount(a, s);
        return new ParamValues(a, s, connection.types());
    }

    private List<Row> rows(CachedStatement s, Object[] args, int maxRows) {
        RowShape shape = s.shape;
        List<Row> rows = new ArrayList<>(maxRows == 1 ? 1 : 10);
        RowSink sink = shape == null ? RowSink.DISCARD : row -> rows.add(ClientRow.copyOf(shape, row));
        session.execute(s.name(), s.parameterFormats, values(s, args), s.resultFormats, sink, maxRows);
        return rows;
    }

    private static Row firstColumn(Row row) {
        if (row.size() == 0) {
            throw new PgException("fetchVal: the query returned a row with no columns");
        }
        return row;
    }
}
