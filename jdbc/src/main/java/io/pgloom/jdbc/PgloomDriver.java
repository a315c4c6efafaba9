package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver for URLs {@code jdbc:pgloom://user:password@host:port/database?key=value}: the
 * part after {@code jdbc:pgloom:} is a libpq URI, so every connection option pgloom's core accepts
 * ({@code sslmode}, {@code application_name}, {@code connect_timeout}, {@code target_session_attrs},
 * several hosts, ...) works here too. {@code user} and {@code password} may also come as
 * properties, which then take precedence over the URL.
 *
 * <pre>{@code
 * try (Connection c = DriverManager.getConnection("jdbc:pgloom://localhost/shop", "app", "secret")) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Registered with {@link DriverManager} when loaded, and through
 * {@code META-INF/services/java.sql.Driver}, so naming the URL is enough. Thread-safe.
 */
public final class PgloomDriver implements Driver {

    /** The URL prefix this driver accepts. */
    public static final String PREFIX = "jdbc:pgloom:";

    static {
        try {
            DriverManager.registerDriver(new PgloomDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Creates a driver; DriverManager and the service loader do it, applications need not. */
    public PgloomDriver() {
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;        // JDBC: another driver's URL
        }
        ConnectOptions options = options(url, info);
        try {
            return new PgloomConnection(PgConnection.connect(options), url, options.user());
        } catch (RuntimeException e) {
            throw Jdbc.error(e);
        }
    }

    /** The core's options for a {@code jdbc:pgloom:} URL, with {@code user} and {@code password} from {@code info}. */
    static ConnectOptions options(String url, Properties info) throws SQLException {
        String uri = url.substring(PREFIX.length());
        if (!uri.startsWith("//")) {
            throw new SQLException("a pgloom URL is jdbc:pgloom://[user[:password]@]host[:port]/database[?key=value&...], not "
                    + url, "08001");
        }
        ConnectOptions options;
        try {
            options = ConnectOptions.fromUri("postgresql:" + uri);
        } catch (RuntimeException e) {
            throw new SQLException("bad URL " + redact(url) + ": " + e.getMessage(), "08001", e);
        }
        String user = info == null ? null : info.getProperty("user");
        String password = info == null ? null : info.getProperty("password");
        if (user == null && password == null) {
            return options;
        }
        ConnectOptions.Builder b = options.toBuilder();
        if (user != null) {
            b.user(user);
        }
        if (password != null) {
            b.password(password);
        }
        return b.build();
    }

    /** The URL without its password, for messages. */
    static String redact(String url) {
        return url.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        DriverPropertyInfo user = new DriverPropertyInfo("user", info == null ? null : info.getProperty("user"));
        user.description = "the PostgreSQL user (overrides the URL's)";
        DriverPropertyInfo password = new DriverPropertyInfo("password", null);
        password.description = "the user's password (overrides the URL's)";
        return new DriverPropertyInfo[] {user, password};
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** False: this driver does not pass the JDBC compliance tests (see the README for what it leaves out). */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
        throw Jdbc.unsupported("java.util.logging: pgloom logs through System.Logger");
    }
}
