package io.pgloom.testing;

import java.nio.file.Path;

/** Where a {@link PgServer} really runs: a local postmaster, a container or an external server. */
sealed interface Backend permits LocalServer, ContainerServer, ExternalServer {

    String host();

    int port();

    String version();

    /** The superuser's name and password and the database the URIs name: the test roles' by default. */
    default String user() {
        return TestUsers.SUPERUSER;
    }

    default String password() {
        return TestUsers.SUPERUSER_PASSWORD;
    }

    default String database() {
        return TestUsers.DATABASE;
    }

    Path dataDirectory();

    Path socketDirectory();

    /** The folder of the TLS material made for this server, or null when pgloom made none. */
    Path tlsDirectory();

    default Path caCertificate() {
        return tlsDirectory() == null ? null : tlsDirectory().resolve("ca.crt");
    }

    default Path clientCertificate() {
        return tlsDirectory() == null ? null : tlsDirectory().resolve("client.crt");
    }

    default Path clientKey() {
        return tlsDirectory() == null ? null : tlsDirectory().resolve("client.key");
    }

    boolean isRunning();

    /** Starts a stopped server on its port with its data; does nothing when it runs. */
    void start();

    /** Stops the server and keeps its data. */
    void stop();

    /**
     * Stops the server at once, as a crash would (no checkpoint), and keeps its data. A server that
     * cannot stop at all (container, external) refuses it as {@link #stop()} does.
     */
    default void stopImmediately() {
        stop();
    }

    /** Stops the server and deletes everything made for it. */
    void close();
}
