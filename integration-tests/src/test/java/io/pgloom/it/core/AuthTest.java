package io.pgloom.it.core;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectOptions.ChannelBinding;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import io.pgloom.it.TestDb;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each authentication method the server can ask for, and each way it can go wrong. */
class AuthTest {

    static final PgServer server = TestDb.server();

    static ConnectOptions.Builder as(String user, String password) {
        ConnectOptions.Builder b = ConnectOptions.builder().host(server.host()).port(server.port())
                .user(user).database("pgloom").sslMode(SslMode.DISABLE);
        return password == null ? b : b.password(password);
    }

    static String whoAmI(ConnectOptions options) {
        try (PgConnection c = PgConnection.connect(options)) {
            return c.fetchVal(String.class, "SELECT current_user");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "trust_user,",
            "password_user,password_pw",
            "md5_user,md5_pw",
            "scram_user,scram_pw",
            "pgloom,pgloom"})
    void eachMethodAuthenticates(String user, String password) {
        assertThat(whoAmI(as(user, password).build())).isEqualTo(user);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"password_user", "md5_user", "scram_user"})
    void aWrongPasswordIs28P01(String user) {
        assertThatThrownBy(() -> whoAmI(as(user, "wrong").build()))
                .isInstanceOf(PgException.class)
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("28P01"))
                .hasMessageContaining(user);
    }

    @Test
    void aPasswordNobodyGaveIsAClearError() {
        assertThatThrownBy(() -> whoAmI(as("scram_user", null).build()))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("password")
                .hasMessageContaining("scram_user")
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isNull());
    }

    @Test
    void unicodePasswordsGoThroughSaslPrepAndScram() {
        try (PgConnection admin = TestDb.connect()) {
            admin.execute("DROP ROLE IF EXISTS unicode_user");
            admin.execute("SET password_encryption = 'scram-sha-256'");
            admin.execute("CREATE ROLE unicode_user LOGIN PASSWORD 'pässwörd\u00A0😀'");
        }
        assertThat(whoAmI(as("unicode_user", "pässwörd\u00A0😀").build())).isEqualTo("unicode_user");
        try (PgConnection admin = TestDb.connect()) {
            admin.execute("DROP ROLE unicode_user");
        }
    }

    @Test
    void sslUserIsRefusedWithoutTlsAndAcceptedWithIt() {
        assertThatThrownBy(() -> whoAmI(as("ssl_user", "ssl_pw").build()))
                .isInstanceOf(PgException.class)
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("28000"));
        assertThat(whoAmI(as("ssl_user", "ssl_pw").sslMode(SslMode.REQUIRE).build())).isEqualTo("ssl_user");
    }

    @Test
    void clientCertificateAuthenticates() {
        ConnectOptions options = as("cert_user", null).sslMode(SslMode.VERIFY_FULL)
                .sslRootCert(server.caCertificate().toString())
                .sslCert(server.clientCertificate().toString())
                .sslKey(server.clientKey().toString()).build();
        assertThat(whoAmI(options)).isEqualTo("cert_user");
    }

    @Test
    void channelBindingRequireUsesScramPlusOverTls() {
        ConnectOptions options = as("scram_user", "scram_pw").sslMode(SslMode.REQUIRE)
                .channelBinding(ChannelBinding.REQUIRE).build();
        try (PgConnection c = PgConnection.connect(options)) {
            assertThat(c.fetchVal(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isTrue();
        }
    }

    @Test
    void channelBindingRequireWithoutTlsIsRefused() {
        assertThatThrownBy(() -> as("scram_user", "scram_pw").sslMode(SslMode.DISABLE)
                .channelBinding(ChannelBinding.REQUIRE).build())
                .isInstanceOf(PgException.class).hasMessageContaining("channel_binding=require");
        // sslmode=prefer may end up without TLS; with TLS unavailable to md5 it is refused at auth time.
        assertThatThrownBy(() -> whoAmI(as("md5_user", "md5_pw").sslMode(SslMode.REQUIRE)
                .channelBinding(ChannelBinding.REQUIRE).build()))
                .isInstanceOf(PgException.class).hasMessageContaining("channel binding");
    }

    @Test
    void aDatabaseThatDoesNotExistIs3D000() {
        assertThatThrownBy(() -> whoAmI(as("pgloom", "pgloom").database("no_such_db").build()))
                .isInstanceOf(PgException.class)
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("3D000"));
    }

    @Test
    void unixSocketConnects() {
        org.junit.jupiter.api.Assumptions.assumeTrue(server.socketDirectory() != null, "no Unix socket");
        ConnectOptions options = ConnectOptions.fromUri("postgresql://pgloom@/pgloom?host="
                + server.socketDirectory() + "&port=" + server.port());
        try (PgConnection c = PgConnection.connect(options)) {
            assertThat(c.fetchVal(String.class, "SELECT coalesce(inet_client_addr()::text, 'local')")).isEqualTo("local");
        }
    }
}
