package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A {@link DataSource} for pgloom: either a new connection per {@link #getConnection()} (set the
 * URL, as for {@link PgloomDriver}, and put HikariCP or another pool in front), or connections
 * lent by a pgloom {@link PgPool}, which {@link Connection#close()} gives back.
 *
 * <pre>{@code
 * PgloomDataSource ds = new PgloomDataSource();
 * ds.setUrl("jdbc:pgloom://localhost:5432/shop");
 * ds.setUser("app");
 * ds.setPassword("secret");
 *
 * DataSource pooled = PgloomDataSource.of(PgPool.create(poolOptions));
 * }</pre>
 *
 * <p>Configure it before use; then it is safe to share between threads.
 */
public class PgloomDataSource implements DataSource {

    /** What {@code getMetaData().getURL()} says of a pool's connection. */
    private static final String POOL_URL = "jdbc:pgloom: (a pgloom pool)";

    private final PgPool pool;
    private volatile String url;
    private volatile String user;
    private volatile String password;
    private volatile int loginTimeoutSeconds;
    private volatile boolean sharedReads = true;

    /** An unconfigured data source: set at least the URL. */
    public PgloomDataSource() {
        this.pool = null;
    }

    private PgloomDataSource(PgPool pool) {
        this.pool = pool;
    }

    /**
     * A data source that lends {@code pool}'s connections; closing a {@link Connection} gives
     * back what it borrowed (rolled back first if a transaction is open). Closing the pool stays
     * the caller's job.
     *
     * <p><b>Shared reads</b> (on unless {@link #setSharedReads(boolean) turned off}). A
     * {@link Connection} borrows no session of its own while it only runs auto-commit reads: each
     * such query (one {@code SELECT}, {@code VALUES} or {@code TABLE} whose text names nothing
     * that writes or lives in the session: no {@code INSERT}/{@code UPDATE}/{@code DELETE}/
     * {@code MERGE}, {@code INTO}, sequence functions, {@code set_config}, advisory locks, large
     * objects, {@code pg_temp}, {@code pg_backend_pid}, ...) runs through the pool's own query
     * methods, which pipeline it with other callers' onto the pool's connections when the pool
     * is busy. The first statement that needs a session (auto-commit off, a data change, a
     * setting, a cursor for {@code setFetchSize}, {@code unwrap(PgConnection.class)}, ...)
     * borrows one, and every later statement of this {@code Connection} runs on it until
     * {@code close()}. Under load this is what lets JdbcTemplate and Hibernate reads outside a
     * transaction share connections as pgloom's own {@code pool.fetch} does, instead of waiting
     * for a connection each. What differs from a session per {@code Connection}: notices of
     * those reads are not in {@code getWarnings()}, {@code Statement.cancel()} of one throws
     * (its query timeout does stop it), and a function that changes the session inside its body
     * is not seen from the text; turn shared reads off where that matters.
     *
     * <pre>{@code
     * DataSource ds = PgloomDataSource.of(pool);
     * new JdbcTemplate(ds).queryForObject("SELECT name FROM users WHERE id = ?", String.class, 42);
     * }</pre>
     */
    public static PgloomDataSource of(PgPool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool is null");
        }
        return new PgloomDataSource(pool);
    }

    /** Whether a pool's connections run auto-commit reads on the pool's shared connections (see {@link #of}). */
    public boolean isSharedReads() {
        return sharedReads;
    }

    /**
     * With {@code false}, each {@link Connection} of a pool's data source borrows a connection
     * from the pool up front and runs everything on it, as a JDBC connection usually does (see
     * {@link #of}). It has no effect on a data source that opens connections from a URL: each of
     * those is a session of its own.
     */
    public void setSharedReads(boolean sharedReads) {
        this.sharedReads = sharedReads;
    }

    public String getUrl() {
        return url;
    }

    /** The {@code jdbc:pgloom://...} URL to connect to. */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    /** The user, overriding the URL's. */
    public void setUser(String user) {
        this.user = user;
    }

    /** The password, overriding the URL's. */
    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (pool != null) {
            if (username != null || password != null) {
                throw Jdbc.unsupported("getConnection(user, password) on a pool's data source: the pool's connections have one user");
            }
            if (sharedReads) {
                if (pool.isClosed()) {
                    throw new SQLNonTransientConnectionException("pool is closed: no connection can be acquired from it", "08003");
                }
                return new PgloomConnection(pool, POOL_URL);
            }
            try {
                PgConnection c = pool.acquire();
                return new PgloomConnection(c, POOL_URL, null);
            } catch (RuntimeException e) {
                throw Jdbc.error(e);
            }
        }
        String u = url;
        if (u == null) {
            throw new SQLException("PgloomDataSource: no URL; call setUrl(\"jdbc:pgloom://host/db\") first", "08001");
        }
        Properties info = new Properties();
        if (username != null) {
            info.setProperty("user", username);
        }
        if (password != null) {
            info.setProperty("password", password);
        }
        ConnectOptions options = PgloomDriver.options(u, info);
        if (loginTimeoutSeconds > 0) {
            options = options.toBuilder().connectTimeout(Duration.ofSeconds(loginTimeoutSeconds)).build();
        }
        try {
            return new PgloomConnection(PgConnection.connect(options), u, options.user());
        } catch (RuntimeException e) {
            throw Jdbc.error(e);
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        if (out != null) {
            throw Jdbc.unsupported("a log writer: pgloom logs through System.Logger");
        }
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
        throw Jdbc.unsupported("java.util.logging: pgloom logs through System.Logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (pool != null && iface.isInstance(pool)) {
            return iface.cast(pool);
        }
        throw new SQLException("PgloomDataSource does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || (pool != null && iface.isInstance(pool));
    }
}
