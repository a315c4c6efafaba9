package io.pgloom;

import io.pgloom.internal.client.ClientConnection;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One connection to a PostgreSQL server: a blocking socket, straight-line code, cheap to
 * block on from a virtual thread.
 *
 * <pre>{@code
 * try (PgConnection conn = PgConnection.connect("postgresql://app:secret@localhost/shop")) {
 *     conn.execute("INSERT INTO users VALUES ($1, $2)", 1, "Bob");
 *     List<Row> rows = conn.fetch("SELECT * FROM users WHERE id > $1", 0);
 *     long n = conn.fetchVal(Long.class, "SELECT count(*) FROM users");
 * }
 * }</pre>
 *
 * <p>Parameters are written {@code $1}, {@code $2}, ... and encoded in binary as the type the
 * server inferred for each; see the type mapping in the project's README.
 *
 * <p><b>Threading:</b> a connection serves one operation at a time. A second thread that calls
 * it while an operation is in progress gets a {@link PgException} ("connection busy") at once;
 * the stream is never corrupted. {@link #cancel()} and {@link #close()} may be called from any
 * thread. Rows returned by {@code fetch} are independent copies, valid after the connection
 * closes.
 *
 * <p><b>Errors:</b> a server error leaves the connection usable; a {@link ConnectionException}
 * means it is closed.
 */
public interface PgConnection extends Queries, AutoCloseable {

    /**
     * Connects with a libpq-style URI ({@code postgresql://user:pass@host:port/db?sslmode=prefer})
     * or a {@code key=value} conninfo string; PG* environment variables and the password file
     * fill what it leaves out.
     */
    static PgConnection connect(String uri) {
        return connect(ConnectOptions.fromUri(uri));
    }

    /** Connects with the given options. */
    static PgConnection connect(ConnectOptions options) {
        return ClientConnection.open(options);
    }

    /**
     * A view of this connection whose queries time out after {@code timeout} instead of the
     * connection's {@link #commandTimeout()}: {@code conn.withTimeout(Duration.ofSeconds(1)).fetch(...)}.
     */
    Queries withTimeout(java.time.Duration timeout);

    /**
     * Checks that the server answers: one round trip of an empty query, bounded by
     * {@code timeout} (zero: none), outside the query listener. For a health endpoint; on a busy
     * connection it fails at once instead of waiting.
     *
     * <pre>{@code
     * Duration rtt = conn.ping(Duration.ofSeconds(1));
     * }</pre>
     *
     * @return how long the round trip took
     * @throws PgException when the server did not answer in time or the connection is gone
     */
    default Duration ping(Duration timeout) {
        long start = System.nanoTime();
        withTimeout(timeout).execute("");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Runs a query and returns a cursor that reads its rows off the socket as they are consumed,
     * in batches of 1,000 rows from a portal: memory stays bounded whatever the result's size. The
     * connection serves nothing else until the cursor is closed or read to its end.
     *
     * <pre>{@code
     * try (RowCursor cur = conn.cursor("SELECT * FROM events WHERE day = $1", day)) {
     *     for (Row row : cur) { ... }
     * }
     * }</pre>
     */
    RowCursor cursor(String sql, Object... args);

    /**
     * {@link #cursor(String, Object...)} with the number of rows each batch asks the server for
     * (JDBC's fetch size). Rows are still read one at a time; a larger batch costs fewer round
     * trips, a smaller one less to drop when the cursor is closed early.
     */
    RowCursor cursor(int batchRows, String sql, Object... args);

    /**
     * Streams a query's rows mapped to a Java {@code record} by column name, through a
     * {@link #cursor}; close the stream to end it early (the connection is busy until then):
     * {@code try (Stream<Event> s = conn.stream(Event.class, "SELECT * FROM events")) { ... }}.
     */
    default <R> java.util.stream.Stream<R> stream(Class<R> recordType, String sql, Object... args) {
        return cursor(sql, args).stream().map(row -> row.as(recordType));
    }

    /**
     * Prepares a statement under a name of its own, for introspection and many runs; see
     * {@link PreparedQuery}. Close it to deallocate it on the server.
     */
    PreparedQuery prepare(String sql);

    /**
     * Starts a pipeline: statements queued on it go to the server together, each under its own
     * Sync, in one round trip; each result holds its value or its own error. See {@link Pipeline}.
     *
     * <pre>{@code
     * try (Pipeline p = conn.pipeline()) {
     *     Pipeline.Result<Row> user = p.fetchRow("SELECT * FROM users WHERE id = $1", 1);
     *     Pipeline.Result<Long> n   = p.fetchVal(Long.class, "SELECT count(*) FROM orders");
     *     p.sync();
     *     System.out.println(user.get() + " has " + n.get());
     * }
     * }</pre>
     */
    default Pipeline pipeline() {
        throw new PgException("pipelines are not supported by " + getClass().getName());
    }

    /**
     * A pipeline whose statements share one Sync: outside a transaction they commit together or
     * not at all, and after the first error the rest are skipped. See {@link Pipeline}.
     */
    default Pipeline atomicPipeline() {
        throw new PgException("pipelines are not supported by " + getClass().getName());
    }

    /**
     * A view of this connection that any number of threads may call at once, their statements
     * pipelined on it; see {@link SharedConnection}. Statements that change the session are
     * refused there. While shared requests are in flight, this connection's own methods say
     * "connection busy", and the other way round.
     */
    default SharedConnection shared() {
        throw new PgException("sharing is not supported by " + getClass().getName());
    }

    /** Starts a transaction (or, inside one, a savepoint) with default options. */
    Transaction transaction();

    /** Starts a transaction with the given isolation, read-only and deferrable options. */
    Transaction transaction(TransactionOptions options);

    /** True while a transaction block is open (or failed), as the server last reported. */
    boolean isInTransaction();

    /** True once the connection was closed, by the caller or by a fatal error. */
    boolean isClosed();

    /**
     * Asks the server to cancel whatever this connection is running, over a side connection.
     * Safe from any thread; does nothing when the connection is idle.
     */
    void cancel();

    /** The timeout applied to each query on this connection; zero means none. */
    Duration commandTimeout();

    /** Sets the timeout applied to each later query; zero means none. */
    void setCommandTimeout(Duration timeout);

    /** The server's version as a number, such as {@code 170005} for 17.5. */
    int serverVersion();

    /** The process ID of the backend serving this connection. */
    int serverPid();

    /** The parameters the server reported (server_version, TimeZone, ...), as last reported. */
    Map<String, String> serverParameters();

    /** Adds a listener for the server's NoticeResponse messages (warnings, notices). */
    void addLogListener(Consumer<PgNotice> listener);

    /** Removes a listener added by {@link #addLogListener}. */
    void removeLogListener(Consumer<PgNotice> listener);

    /**
     * Listens on a channel ({@code LISTEN}) and calls {@code callback} for each notification on
     * it. Notifications that arrive while a query runs are delivered, on the calling thread,
     * once that query has returned; an idle connection receives them in
     * {@link #waitForNotifications}.
     *
     * <pre>{@code
     * conn.addListener("orders", n -> System.out.println("order " + n.payload()));
     * while (running) {
     *     conn.waitForNotifications(Duration.ofSeconds(30));   // a virtual thread parks here
     * }
     * }</pre>
     */
    void addListener(String channel, Consumer<PgNotification> callback);

    /** Removes a callback; the last one for a channel ends the {@code LISTEN}. */
    void removeListener(String channel, Consumer<PgNotification> callback);

    /**
     * Blocks until a notification arrives or {@code timeout} passes, then delivers what arrived
     * to the callbacks on this thread; returns how many were delivered. The connection is busy
     * meanwhile, so a listening connection is usually one of its own.
     */
    int waitForNotifications(Duration timeout);

    /**
     * Copies data from {@code source} into a table with {@code COPY ... FROM STDIN}, streaming it
     * in 64 KiB CopyData messages; returns the number of rows copied. {@code options} are COPY's
     * own options, as SQL: {@code copyToTable("users", csvStream, "FORMAT csv", "HEADER true")}.
     * If reading the source fails, the COPY is rolled back and the connection stays usable.
     *
     * @param table a table name, {@code schema.table}, or an already quoted name; with a column
     *              list use an already quoted form such as {@code "users"(id, name)}
     */
    long copyToTable(String table, java.io.InputStream source, String... options);

    /**
     * Copies a table's rows to {@code sink} with {@code COPY ... TO STDOUT}; returns the rows
     * copied: {@code copyFromTable("users", out, "FORMAT csv")}.
     */
    long copyFromTable(String table, java.io.OutputStream sink, String... options);

    /** Copies a query's result to {@code sink} with {@code COPY (query) TO STDOUT}; returns the rows copied. */
    long copyFromQuery(String query, java.io.OutputStream sink, String... options);

    /**
     * Copies records into a table in PostgreSQL's binary COPY format, each value encoded as its
     * column's type, as parameters are; returns the rows copied. The fastest way to load rows.
     *
     * <pre>{@code
     * conn.copyRecordsToTable("users", List.of(new Object[]{1, "Bob"}, new Object[]{2, "Ann"}), "id", "name");
     * }</pre>
     *
     * @param columns the columns the records' values go to, in order; none means all, in table order
     */
    long copyRecordsToTable(String table, Iterable<Object[]> records, String... columns);

    /**
     * Decodes and encodes values of a type through {@code codec} on this connection, as asyncpg's
     * {@code set_type_codec} does: in text format the codec sees the type's text form, in binary
     * its send/receive bytes. It also applies inside arrays, composites and ranges of the type.
     *
     * <pre>{@code
     * // json.parse: your JSON library's parser, wrapped so that it throws unchecked exceptions
     * conn.setTypeCodec("jsonb", "pg_catalog", TypeCodec.text(JsonNode.class, JsonNode::toString, json::parse));
     * JsonNode doc = conn.fetchVal(JsonNode.class, "SELECT '{"a": 1}'::jsonb");
     * }</pre>
     *
     * @param typeName the type's name ({@code jsonb}, {@code my_enum})
     * @param schema its schema, or null to find it on the search path
     */
    <T> void setTypeCodec(String typeName, String schema, io.pgloom.codec.TypeCodec<T> codec);

    /** Goes back to pgloom's own codec for a type given to {@link #setTypeCodec}. */
    void resetTypeCodec(String typeName, String schema);

    /**
     * Forgets what this connection learned about user-defined types and its prepared
     * statements, after DDL changed them (asyncpg's {@code reload_schema_state}).
     */
    void reloadSchemaState();

    /**
     * What this connection's user may have changed since it was opened, last reset
     * ({@link #resetSession()}) or marked clean ({@link #markSessionClean()}): an open
     * transaction, settings, LISTENs, temporary objects and the rest of {@link SessionChange},
     * read from transaction status, command tags, ParameterStatus reports and the SQL text
     * (see {@link SessionChange} for what cannot be seen). Empty when nothing changed; costs no
     * round trip. A pool calls it on release to decide whether a reset is needed.
     *
     * <pre>{@code
     * conn.execute("SET ROLE reader");
     * conn.sessionChanges();          // [SETTINGS]
     * conn.resetSession();            // queued; the next request carries it
     * conn.sessionChanges();          // []
     * }</pre>
     *
     * <p>Implementations that cannot tell return {@code [UNKNOWN]}, so that callers reset.
     */
    default java.util.Set<SessionChange> sessionChanges() {
        return java.util.Set.of(SessionChange.UNKNOWN);
    }

    /**
     * Returns the session to its clean state without a round trip of its own. pgloom's own state
     * goes back at once: command timeout, log listeners and type codecs to what they were when
     * the connection was opened or marked clean; LISTEN callbacks are dropped; open
     * {@link Transaction} objects end. The server's session is reset by SQL that is written
     * ahead of the next request in the same write and whose replies are read first: a ROLLBACK
     * of an open transaction, then, in a block of its own, {@code RESET SESSION AUTHORIZATION},
     * {@code RESET ROLE}, {@code CLOSE ALL}, {@code UNLISTEN *}, {@code pg_advisory_unlock_all()},
     * {@code DISCARD TEMP}, {@code DISCARD SEQUENCES}, {@code RESET ALL} (and
     * {@code DEALLOCATE ALL} when SQL-level PREPARE ran). When nothing on the server changed,
     * nothing is sent.
     *
     * <p>If the reset fails, the next request fails with a {@link ConnectionException} whose
     * {@link ConnectionException#requestSent()} is false (the server refused the request), and
     * the connection is closed: a pool then discards it.
     */
    default void resetSession() {
        throw new PgException(getClass().getSimpleName() + " cannot reset its session");
    }

    /**
     * Takes the session as it is now as clean: {@link #sessionChanges()} becomes empty, and
     * {@link #resetSession()} returns command timeout, log listeners and type codecs to what they
     * are now. Server settings changed before this call are still undone by a later reset's
     * {@code RESET ALL} (settings meant to last belong in {@link ConnectOptions}). A pool calls
     * it after its {@code init} hook.
     */
    default void markSessionClean() {
        throw new PgException(getClass().getSimpleName() + " cannot mark its session clean");
    }

    /**
     * How many round trips this connection has made: each request written and waited for counts
     * once, however many messages it carries (SQL queued ahead of a request rides free). A
     * diagnostic for tests and benchmarks; read it from the thread that uses the connection.
     * -1 when the implementation does not count.
     */
    default long roundTrips() {
        return -1;
    }

    /** Sends Terminate and closes the socket. Idempotent; safe from any thread. */
    @Override
    void close();
}
