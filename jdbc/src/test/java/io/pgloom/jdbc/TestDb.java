package io.pgloom.jdbc;

import io.pgloom.testing.PgServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The JVM's shared test server (of the version in -Dpg.version) as JDBC URLs and connections. */
final class TestDb {

    private TestDb() {
    }

    /** {@code jdbc:pgloom://pgloom:pgloom@localhost:PORT/pgloom?sslmode=disable}. */
    static String url() {
        String uri = PgServer.shared().uri();
        return "jdbc:pgloom:" + uri.substring(uri.indexOf("//"));
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    static PgloomDataSource dataSource() {
        PgloomDataSource ds = new PgloomDataSource();
        ds.setUrl(url());
        return ds;
    }

    static int majorVersion() {
        return PgServer.shared().majorVersion();
    }
}
