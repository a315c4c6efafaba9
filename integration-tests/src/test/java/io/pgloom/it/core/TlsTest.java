package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each sslmode, positive and negative, against a server with TLS on and its own CA. */
class TlsTest {

    static final PgServer server = TestDb.server();

    static ConnectOptions.Builder scram() {
        return ConnectOptions.builder().host("localhost").port(server.port()).user("scram_user")
                .password("scram_pw").database("pgloom");
    }

    static boolean usesTls(ConnectOptions options) {
        try (PgConnection c = PgConnection.connect(options)) {
            return c.fetchVal(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslMode.class, names = {"PREFER", "REQUIRE", "VERIFY_CA", "VERIFY_FULL"})
    void modesThatTryTlsFirstGetIt(SslMode mode) {
        ConnectOptions options = scram().sslMode(mode).sslRootCert(server.caCertificate().toString()).build();
        assertThat(usesTls(options)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = SslMode.class, names = {"DISABLE", "ALLOW"})
    void modesThatTryPlainFirstStayPlain(SslMode mode) {
        assertThat(usesTls(scram().sslMode(mode).build())).isFalse();
    }

    @Test
    void allowFallsBackToTlsWhenTheServerRefusesPlain() {
        ConnectOptions options = scram().user("ssl_user").password("ssl_pw").sslMode(SslMode.ALLOW).build();
        assertThat(usesTls(options)).isTrue();
    }

    @Test
    void verifyFullRefusesAHostNameTheCertificateDoesNotName() {
        // hostaddr connects to the server; the name checked against the certificate is another.
        ConnectOptions options = ConnectOptions.fromUri("host=db.example.com hostaddr=127.0.0.1 port=" + server.port()
                + " user=scram_user password=scram_pw dbname=pgloom sslmode=verify-full sslrootcert="
                + server.caCertificate());
        assertThatThrownBy(() -> PgConnection.connect(options).close())
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("db.example.com");
        // verify-ca does not check the name: the same connection succeeds.
        ConnectOptions ca = ConnectOptions.fromUri("host=db.example.com hostaddr=127.0.0.1 port=" + server.port()
                + " user=scram_user password=scram_pw dbname=pgloom sslmode=verify-ca sslrootcert="
                + server.caCertificate());
        assertThat(usesTls(ca)).isTrue();
    }

    @Test
    void verifyCaRefusesACertificateFromAnotherCa(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // The JDK's own trust store does not know our throwaway CA ("system" implies verify-full).
        ConnectOptions options = scram().sslMode(SslMode.VERIFY_FULL).sslRootCert("system").build();
        assertThatThrownBy(() -> PgConnection.connect(options).close()).isInstanceOf(ConnectionException.class);
        assertThatThrownBy(() -> PgConnection.connect(scram().sslMode(SslMode.VERIFY_CA).sslRootCert("system").build()))
                .isInstanceOf(PgException.class).hasMessageContaining("verify-full");
        Path notACert = Files.writeString(dir.resolve("root.crt"), "not a certificate");
        ConnectOptions bad = scram().sslMode(SslMode.VERIFY_CA).sslRootCert(notACert.toString()).build();
        assertThatThrownBy(() -> PgConnection.connect(bad).close())
                .isInstanceOf(PgException.class).hasMessageContaining(notACert.toString());
    }

    @Test
    void verifyFullAcceptsLoopbackIpInTheSan() {
        ConnectOptions options = scram().host("127.0.0.1").sslMode(SslMode.VERIFY_FULL)
                .sslRootCert(server.caCertificate().toString()).build();
        assertThat(usesTls(options)).isTrue();
    }

    @Test
    void directTlsNegotiationOnPostgres17AndLater() {
        org.junit.jupiter.api.Assumptions.assumeTrue(server.majorVersion() >= 17, "sslnegotiation=direct needs 17+");
        ConnectOptions options = scram().sslMode(SslMode.VERIFY_FULL).sslRootCert(server.caCertificate().toString())
                .sslNegotiation(ConnectOptions.SslNegotiation.DIRECT).build();
        assertThat(usesTls(options)).isTrue();
    }
}
