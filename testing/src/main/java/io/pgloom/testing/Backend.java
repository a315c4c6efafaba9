package io.pgloom.testing;

import java.nio.file.Path;

/** Where a {@link PgServer} really runs: a local postmaster, a container or an external server. */
sealed interface Backend permits LocalServer, ContainerServer, ExternalServer {

    String host();

    int port();

    String version();

    /** The superuser's name and password and the database the URIs name. */
    String user();

    String password();

    String database();

    Path dataDirectory();

    Path socketDirectory();

    Path caCertificate();

    Path clientCertificate();

    Path clientKey();

    boolean isRunning();

    /** Starts a stopped server on its port with its data; does nothing when it runs. */
    void start();

    /** Stops the server and keeps its data. */
    void stop();

    /** Stops the server and deletes everything made for it. */
    void close();
}
