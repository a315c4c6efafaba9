package io.pgloom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A server in a Docker container ({@code postgres:<major>}), the last resort when no binaries can
 * be had. The only class that touches Testcontainers, an optional dependency: {@link PgServer}
 * reaches it only after checking that Testcontainers is on the class path.
 *
 * <p>The image's own setup makes the superuser and database; the rest (roles, TLS files,
 * pg_hba.conf) is written over SQL, since the server's files belong to the container's postgres
 * user. A container's mapped port changes when it restarts, so it cannot stop and start again.
 */
final class ContainerServer implements Backend {

    private final PostgreSQLContainer container;
    private final Path tls;
    private final String version;

    private ContainerServer(PostgreSQLContainer container, Path tls, String version) {
        this.container = container;
        this.tls = tls;
        this.version = version;
    }

    /** True when a Docker engine answers; call only when Testcontainers is on the class path. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ContainerServer create(int major, Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "max_prepared_transactions=10"));
        settings.forEach((name, value) -> command.addAll(List.of("-c", name + "=" + value)));
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse("postgres:" + major))
                .withUsername(TestUsers.SUPERUSER).withPassword(TestUsers.SUPERUSER_PASSWORD)
                .withDatabaseName(TestUsers.DATABASE)
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust"); // for setup; pg_hba.conf is replaced below
        container.withCommand(command.toArray(String[]::new));
        Path tls = null;
        try {
            container.start();
            TlsMaterial material = TlsMaterial.generate();
            tls = Files.createTempDirectory("pgloom-tls-");
            Files.writeString(tls.resolve("ca.crt"), material.caCertificate());
            Files.writeString(tls.resolve("client.crt"), material.clientCertificate());
            Files.writeString(tls.resolve("client.key"), material.clientKey());
            if (!Platform.isWindows()) {
                Files.setPosixFilePermissions(tls.resolve("client.key"), PosixFilePermissions.fromString("rw-------"));
            }
            configure(container, material);
            String version;
            try (SetupSession session = SetupSession.open(container.getHost(),
                    container.getMappedPort(5432), TestUsers.SUPERUSER, TestUsers.DATABASE)) {
                version = session.query("SHOW server_version").get(0).split(" ")[0];
            }
            return new ContainerServer(container, tls, version);
        } catch (IOException | RuntimeException e) {
            container.stop();
            Folders.deleteRecursively(tls);
            throw new PgServerException("could not start PostgreSQL " + major + " in Docker (postgres:" + major
                    + "): " + e.getMessage() + "; check that Docker runs and can pull the image, or set PGLOOM_TEST_URL", e);
        }
    }

    /** Roles, TLS and pg_hba.conf over a trusted setup connection; then a reload applies them. */
    private static void configure(PostgreSQLContainer container, TlsMaterial material) {
        String host = container.getHost();
        int port = container.getMappedPort(5432);
        try (SetupSession session = SetupSession.open(host, port, TestUsers.SUPERUSER, "postgres")) {
            TestUsers.rolesSql().forEach(session::query);
        }
        try (SetupSession session = SetupSession.open(host, port, TestUsers.SUPERUSER, TestUsers.DATABASE)) {
            TestUsers.databaseSql().forEach(session::query);
            for (String extension : TestUsers.extensions()) {
                session.query("CREATE EXTENSION IF NOT EXISTS " + extension);
            }
            String data = session.query("SHOW data_directory").get(0);
            // Files the server writes are its own with mode 0600, as PostgreSQL wants its key.
            writeFile(session, data + "/server.crt", material.serverCertificate());
            writeFile(session, data + "/server.key", material.serverKey());
            writeFile(session, data + "/root.crt", material.caCertificate());
            writeFile(session, session.query("SHOW hba_file").get(0), TestUsers.hbaConf(true, List.of("all")));
            session.query("ALTER SYSTEM SET ssl_cert_file = 'server.crt'");
            session.query("ALTER SYSTEM SET ssl_key_file = 'server.key'");
            session.query("ALTER SYSTEM SET ssl_ca_file = 'root.crt'");
            session.query("ALTER SYSTEM SET ssl = on");
            session.query("SELECT pg_reload_conf()");
        }
    }

    private static void writeFile(SetupSession session, String path, String text) {
        // COPY's text format writes each array element as one line; PEM and pg_hba lines hold
        // no tab or backslash that it would escape.
        String quoted = "$pgloom$" + text.stripTrailing() + "$pgloom$";
        session.query("COPY (SELECT unnest(string_to_array(" + quoted + ", E'\\n'))) TO '"
                + path.replace("'", "''") + "'");
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Path dataDirectory() {
        return null;
    }

    @Override
    public Path socketDirectory() {
        return null;
    }

    @Override
    public Path tlsDirectory() {
        return tls;
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public void start() {
        if (!container.isRunning()) {
            throw new PgServerException("a Docker test server cannot start again once stopped (its port would"
                    + " change): install PostgreSQL binaries for tests that restart their server");
        }
    }

    @Override
    public void stop() {
        throw new PgServerException("a Docker test server cannot stop and start again on the same port:"
                + " install PostgreSQL binaries (or let pgloom download them) for tests that restart their server");
    }

    @Override
    public void close() {
        try {
            container.stop();
        } finally {
            Folders.deleteRecursively(tls);
        }
    }
}
