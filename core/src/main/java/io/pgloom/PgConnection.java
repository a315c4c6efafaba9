package io.pgloom;

import io.pgloom.internal.client.ClientConnection;

import java.time.Duration;
import java.util.List;
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
public interface PgConnection extends AutoCloseable {

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
     * Runs a statement and returns its command tag ({@code "INSERT 0 1"}). Without arguments it
     * uses the simple query protocol, so {@code sql} may hold several statements separated by
     * semicolons, and the tag is the last one's.
     */
    String execute(String sql, Object... args);

    /**
     * Runs one statement once for each argument list, pipelined: every Bind/Execute is sent
     * before one Sync, so the whole batch costs one round trip. All succeed or, on the first
     * error, the batch stops and (outside a transaction) none of it is kept.
     */
    void executeMany(String sql, List<Object[]> argsList);

    /** Runs a query and returns all its rows. */
    List<Row> fetch(String sql, Object... args);

    /** Runs a query and returns its first row, or {@code null} when it returned none. */
    Row fetchRow(String sql, Object... args);

    /** Runs a query and returns the first column of its first row, or {@code null} when none. */
    Object fetchVal(String sql, Object... args);

    /**
     * Runs a query and returns the first column of its first row converted to {@code type}
     * ({@code fetchVal(Long.class, "SELECT count(*) FROM t")}), or {@code null} when none.
     */
    <T> T fetchVal(Class<T> type, String sql, Object... args);

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

    /** Sends Terminate and closes the socket. Idempotent; safe from any thread. */
    @Override
    void close();
}
