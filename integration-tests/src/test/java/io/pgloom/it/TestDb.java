package io.pgloom.it;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.testing.PgServer;

/** Shortcuts the integration tests share: the JVM's shared server and connections to it. */
public final class TestDb {

    private TestDb() {
    }

    public static PgServer server() {
        return PgServer.shared();
    }

    /** A superuser connection to the shared server. */
    public static PgConnection connect() {
        return PgConnection.connect(server().uri());
    }

    /** Options for the superuser, to adjust with toBuilder(). */
    public static ConnectOptions options() {
        return ConnectOptions.fromUri(server().uri());
    }

    /** A second connection as superuser, for watching or killing the first. */
    public static PgConnection admin() {
        return connect();
    }
}
