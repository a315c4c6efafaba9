package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.PgException;

import java.nio.file.Path;
import java.util.Map;

/** Parses libpq URIs and conninfo strings. (Being written: see ConnInfoTest.) */
public final class ConnInfo {
    private ConnInfo() {
    }

    public static ConnectOptions parse(String uri, Map<String, String> env, Path home) {
        throw new PgException("not yet written");
    }
}
