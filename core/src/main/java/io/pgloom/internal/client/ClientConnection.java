package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;

public final class ClientConnection {
    public static PgConnection open(ConnectOptions options) {
        throw new PgException("not yet written");
    }
}
