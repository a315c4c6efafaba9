package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each test role meets the authentication method the table in {@link PgServer} promises. */
class AuthenticationTest {

    private static PgServer server;

    @BeforeAll
    static void start() {
        server = PgServer.builder().setting("max_connections", "200").build().start();
    }

    @AfterAll
    static void close() {
        server.close();
    }

    /** Starts up as {@code user} over plain TCP and returns the first answer. */
    private static Wire.Message firstAnswer(Wire wire, String user) throws Exception {
        wire.startup(user, "pgloom");
        return wire.read();
    }

    @Test
    void trustUserNeedsNoPassword() throws Exception {
        try (Wire wire = Wire.connect("localhost", server.port())) {
            Wire.Message auth = firstAnswer(wire, "trust_user");
            assertThat(auth.type()).isEqualTo('R');
            assertThat(auth.int32(0)).isZero();
        }
    }

    @Test
    void passwordUserGetsCleartextAndIsCheckedAgainstItsPassword() throws Exception {
        try (Wire wire = Wire.connect("localhost", server.port())) {
            assertThat(firstAnswer(wire, "password_user").int32(0)).isEqualTo(3); // AuthenticationCleartextPassword
            wire.password("password_pw");
            assertThat(wire.read().int32(0)).isZero();
            assertThat(wire.readUntilReadyOrError().type()).isEqualTo('Z');
        }
        try (Wire wire = Wire.connect("localhost", server.port())) {
            firstAnswer(wire, "password_user");
            wire.password("wrong");
            Wire.Message error = wire.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.field('C')).isEqualTo("28P01"); // invalid_password
        }
    }

    @Test
    void md5UserGetsAnMd5ChallengeItsStoredHashAnswers() throws Exception {
        try (Wire wire = Wire.connect("localhost", server.port())) {
            Wire.Message challenge = firstAnswer(wire, "md5_user");
            assertThat(challenge.int32(0)).isEqualTo(5); // AuthenticationMD5Password: only sent for an MD5-stored password
            byte[] salt = Arrays.copyOfRange(challenge.body(), 4, 8);
            wire.password(Wire.md5Answer("md5_user", "md5_pw", salt));
            assertThat(wire.read().int32(0)).isZero();
            assertThat(wire.readUntilReadyOrError().type()).isEqualTo('Z');
        }
    }

    @Test
    void scramUsersAndTheSuperuserGetSasl() throws Exception {
        for (String user : List.of("scram_user", "pgloom", "nobody_in_particular")) {
            try (Wire wire = Wire.connect("localhost", server.port())) {
                Wire.Message sasl = firstAnswer(wire, user);
                assertThat(sasl.int32(0)).as(user).isEqualTo(10); // AuthenticationSASL
                assertThat(new String(sasl.body(), 4, sasl.body().length - 4, StandardCharsets.UTF_8))
                        .contains("SCRAM-SHA-256");
            }
        }
    }

    @Test
    void sslUserIsRefusedWithoutTlsAndOfferedScramWithIt() throws Exception {
        try (Wire wire = Wire.connect("localhost", server.port())) {
            Wire.Message refused = firstAnswer(wire, "ssl_user");
            assertThat(refused.type()).isEqualTo('E');
            assertThat(refused.field('C')).isEqualTo("28000");
        }
        try (Wire wire = Wire.connect("localhost", server.port())) {
            assertThat(wire.sslRequest()).isEqualTo('S');
            wire.startTls("localhost", server.caCertificate(), null, null);
            Wire.Message sasl = firstAnswer(wire, "ssl_user");
            assertThat(sasl.int32(0)).isEqualTo(10);
            // Over TLS the server also offers channel binding.
            assertThat(new String(sasl.body(), StandardCharsets.UTF_8)).contains("SCRAM-SHA-256-PLUS");
        }
    }

    @Test
    void certUserLogsInWithItsClientCertificateOnly() throws Exception {
        try (Wire wire = Wire.connect("localhost", server.port())) {
            assertThat(wire.sslRequest()).isEqualTo('S');
            wire.startTls("localhost", server.caCertificate(), server.clientCertificate(), server.clientKey());
            assertThat(firstAnswer(wire, "cert_user").int32(0)).isZero();
            assertThat(wire.readUntilReadyOrError().type()).isEqualTo('Z');
        }
        try (Wire wire = Wire.connect("localhost", server.port())) {
            wire.sslRequest();
            wire.startTls("localhost", server.caCertificate(), null, null);
            Wire.Message refused = firstAnswer(wire, "cert_user");
            assertThat(refused.type()).isEqualTo('E');
            assertThat(refused.field('C')).isEqualTo("28000");
        }
        assertThat(java.nio.file.Files.readString(server.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void serverCertificateNamesExactlyTheLoopbackNames() throws Exception {
        try (Wire wire = Wire.connect("127.0.0.1", server.port())) {
            wire.sslRequest();
            SSLSocket tls = wire.startTls("127.0.0.1", server.caCertificate(), null, null);
            X509Certificate cert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            List<String> names = cert.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList();
            assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        }
        // Host-name verification against any other name fails, as verify-full must.
        try (Wire wire = Wire.connect("localhost", server.port())) {
            wire.sslRequest();
            assertThatThrownBy(() -> wire.startTls("db.example", server.caCertificate(), null, null))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void unixSocketTrustsTheSuperuserAndKeepsPerUserMethods() throws Exception {
        assertThat(server.socketDirectory()).isNotNull();
        try (Wire wire = Wire.connectUnix(server.socketDirectory(), server.port())) {
            assertThat(firstAnswer(wire, "pgloom").int32(0)).isZero();
        }
        try (Wire wire = Wire.connectUnix(server.socketDirectory(), server.port())) {
            assertThat(firstAnswer(wire, "password_user").int32(0)).isEqualTo(3);
        }
        try (Wire wire = Wire.connectUnix(server.socketDirectory(), server.port())) {
            assertThat(firstAnswer(wire, "ssl_user").type()).isEqualTo('E');
        }
    }

    @Test
    void settingsAreTheTestSettingsWithBuilderOverrides() {
        try (SetupSession session = SetupSession.open(server.port(), "trust_user", "pgloom")) {
            assertThat(session.query("SHOW max_connections")).containsExactly("200");
            assertThat(session.query("SHOW max_prepared_transactions")).containsExactly("10");
            assertThat(session.query("SHOW fsync")).containsExactly("off");
            assertThat(session.query("SHOW ssl")).containsExactly("on");
            assertThat(session.query("SELECT rolsuper FROM pg_roles WHERE rolname = 'pgloom'")).containsExactly("t");
        }
        assertThat(server.uri()).isEqualTo("postgresql://pgloom:pgloom@localhost:" + server.port() + "/pgloom?sslmode=disable");
        assertThat(server.uri("scram_user", "scram_pw")).isEqualTo(
                "postgresql://scram_user:scram_pw@localhost:" + server.port() + "/pgloom?sslmode=disable");
    }
}
