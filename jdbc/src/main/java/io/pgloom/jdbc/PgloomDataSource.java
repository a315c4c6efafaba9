package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.pool.PgPool;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
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

    private final PgPool pool;
    private volatile String url;
    private volatile String user;
    private volatile String password;
    private volatile int loginTimeoutSeconds;

    /** An unconfigured data source: set at least the URL. */
    public PgloomDataSource() {
        this.pool = null;
    }

    private PgloomDataSource(PgPool pool) {
        this.pool = pool;
    }

    /**
     * A data source that lends {@code pool}'s connections: each {@link Connection} wraps one
     * acquired from the pool, and closing it releases it (rolled back first if a transaction is
     * open). Closing the pool stays the caller's job.
     */
    public static PgloomDataSource of(PgPool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool is null");
        }
        return new PgloomDataSource(pool);
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
            try {
                PgConnection c = pool.acquire();
                return new PgloomConnection(c, "jdbc:pgloom: (a pgloom pool)", null);
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
