package io.pgloom;

import java.util.List;

/**
 * One statement to run and what the caller wants back from it: what every query method of
 * {@link Queries} turns its arguments into before calling {@link Queries#run(QueryRequest)}, the
 * one method a connection, a pool or a timed view implements.
 *
 * <pre>{@code
 * List<Row> rows = conn.run(new QueryRequest.Fetch("SELECT * FROM users WHERE id > $1", new Object[] {0}, 10));
 * }</pre>
 *
 * <p>A request is an immutable description; the argument arrays are not copied, so a caller
 * must not change them while the request runs.
 *
 * @param <T> what running the request returns
 */
public sealed interface QueryRequest<T> {

    /** The SQL text, with {@code $1}, {@code $2}, ... for parameters. */
    String sql();

    /** Runs {@code sql} and returns its command tag; without arguments, by the simple query protocol. */
    record Execute(String sql, Object[] args) implements QueryRequest<String> {
    }

    /** Runs {@code sql} once per argument list, pipelined under one Sync; returns null. */
    record ExecuteMany(String sql, List<Object[]> argsList) implements QueryRequest<Void> {
    }

    /**
     * Runs a query and returns at most {@code limit} of its rows: the server is asked for no more
     * (Execute with a row limit), so later rows are never produced.
     */
    record Fetch(String sql, Object[] args, int limit) implements QueryRequest<List<Row>> {
        public Fetch {
            if (limit < 1) {
                throw new PgException("fetch: the row limit must be positive, not " + limit);
            }
        }
    }
}
