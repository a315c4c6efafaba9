package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import io.pgloom.internal.io.PlainChannel;
import io.pgloom.internal.io.TlsChannel;
import io.pgloom.internal.io.TlsTestCertificates;
import io.pgloom.internal.io.TlsTestCertificates.Issued;
import io.pgloom.internal.io.TlsTestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsConfigTest {

    private static Issued ca;
    private static Issued otherCa;
    private static Issued server;
    private static Issued client;
    private static SSLContext serverContext;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TlsTestCertificates.ca("pgloom test CA");
        otherCa = TlsTestCertificates.otherCa("some other CA");
        server = TlsTestCertificates.localhostServer(ca);
        client = TlsTestCertificates.issue("app", TlsTestCertificates.ec("secp256r1"), ca, "SHA256withRSA", List.of());
        serverContext = TlsTestCertificates.serverContext(List.of(server.certificate()), server.privateKey(),
                ca.certificate());
    }

    private static ConnectOptions.Builder options(SslMode mode) {
        return ConnectOptions.builder().user("app").sslMode(mode);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path emptyHome() throws IOException {
        return Files.createDirectories(dir.resolve("home-" + System.nanoTime()));
    }

    /** Connects to a server presenting {@link #server}; returns the client certificate the server saw, or null. */
    private static Certificate handshake(ConnectOptions options, Path home, boolean requireClientCertificate)
            throws Exception {
        AtomicReference<Certificate> seen = new AtomicReference<>();
        try (TlsTestServer peer = new TlsTestServer(serverContext, p -> {
            if (requireClientCertificate) {
                p.setNeedClientAuth(true);
            }
        }, (tls, raw) -> {
            try {
                tls.startHandshake();
                if (requireClientCertificate) {
                    seen.set(tls.getSession().getPeerCertificates()[0]);
                }
                tls.getInputStream().read();
            } catch (IOException clientGaveUp) {
                // the client refused the server; the assertion is on the client's side
            }
        })) {
            SSLContext context = TlsConfig.sslContext(options, home);
            try (TlsChannel ignored = TlsChannel.handshake(PlainChannel.connectTcp(peer.address()), context,
                    "localhost", peer.port(), TlsConfig.verifyHostName(options), null, null)) {
                // connected
            }
            peer.await();
        }
        return seen.get();
    }

    @Test
    void verifiesTheHostNameOnlyForVerifyFull() {
        for (SslMode mode : SslMode.values()) {
            assertThat(TlsConfig.verifyHostName(options(mode).build())).as(mode.name()).isEqualTo(mode == SslMode.VERIFY_FULL);
        }
    }

    @Test
    void requireWithoutRootCertTrustsAnyCertificate() throws Exception {
        for (SslMode mode : List.of(SslMode.ALLOW, SslMode.PREFER, SslMode.REQUIRE)) {
            handshake(options(mode).build(), emptyHome(), false);
        }
    }

    @Test
    void requireWithAnExplicitRootCertChecksTheChain() throws Exception {
        Path other = write("other.crt", TlsTestCertificates.certificatesPem(otherCa.certificate()));
        assertThatThrownBy(() -> handshake(options(SslMode.REQUIRE).sslRootCert(other.toString()).build(), emptyHome(), false))
                .isInstanceOf(SSLException.class);
        Path right = write("right.crt", TlsTestCertificates.certificatesPem(ca.certificate()));
        handshake(options(SslMode.REQUIRE).sslRootCert(right.toString()).build(), emptyHome(), false);
    }

    @Test
    void verifyCaTrustsAnyCertificateInTheRootFile() throws Exception {
        Path roots = write("roots.crt", "Bag Attributes: from a PKCS#12 export\n"
                + TlsTestCertificates.certificatesPem(otherCa.certificate(), ca.certificate()));
        handshake(options(SslMode.VERIFY_CA).sslRootCert(roots.toString()).build(), emptyHome(), false);
        handshake(options(SslMode.VERIFY_FULL).sslRootCert(roots.toString()).build(), emptyHome(), false);
    }

    @Test
    void verifyCaRefusesACertificateFromAnotherCa() throws Exception {
        Path other = write("other.crt", TlsTestCertificates.certificatesPem(otherCa.certificate()));
        assertThatThrownBy(() -> handshake(options(SslMode.VERIFY_CA).sslRootCert(other.toString()).build(), emptyHome(), false))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void verifyFullUsesTheDefaultRootFile() throws Exception {
        Path home = emptyHome();
        Files.writeString(home.resolve("root.crt"), TlsTestCertificates.certificatesPem(ca.certificate()));
        handshake(options(SslMode.VERIFY_FULL).build(), home, false);
    }

    @Test
    void verifyFullWithoutAnyRootFileSaysToSetSslRootCert() throws Exception {
        Path home = emptyHome();
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.VERIFY_FULL).build(), home))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("sslrootcert")
                .hasMessageContaining(home.resolve("root.crt").toString())
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isNull());
    }

    @Test
    void systemRootsNeedVerifyFull() throws Exception {
        assertThat(TlsConfig.sslContext(options(SslMode.VERIFY_FULL).sslRootCert("system").build(), emptyHome())).isNotNull();
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.VERIFY_CA).sslRootCert("system").build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining("verify-full");
    }

    @Test
    void namesAMissingOrBrokenRootFile() throws Exception {
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.VERIFY_CA).sslRootCert(missing.toString()).build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path notPem = write("not.crt", "hello\n");
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.VERIFY_CA).sslRootCert(notPem.toString()).build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining(notPem.toString()).hasMessageContaining("no \"-----BEGIN CERTIFICATE-----\"");
        Path badBase64 = write("bad.crt", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.VERIFY_CA).sslRootCert(badBase64.toString()).build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining(badBase64.toString());
        Path garbage = write("garbage.crt", TlsTestCertificates.pem("CERTIFICATE", new byte[] {0x30, 0x03, 1, 2, 3}));
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.VERIFY_CA).sslRootCert(garbage.toString()).build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining("not a valid X.509 certificate");
    }

    @Test
    void presentsTheClientCertificate() throws Exception {
        Path cert = write("client.crt", TlsTestCertificates.certificatesPem(client.certificate()));
        Path key = write("client.key", TlsTestCertificates.pkcs8Pem(client.privateKey()));
        Certificate seen = handshake(options(SslMode.REQUIRE).sslCert(cert.toString()).sslKey(key.toString()).build(),
                emptyHome(), true);
        assertThat(seen).isEqualTo(client.certificate());
    }

    @Test
    void presentsTheDefaultClientCertificate() throws Exception {
        Path home = emptyHome();
        Files.writeString(home.resolve("postgresql.crt"), TlsTestCertificates.certificatesPem(client.certificate()));
        Files.writeString(home.resolve("postgresql.key"), TlsTestCertificates.traditionalPem(client.privateKey(), true));
        assertThat(handshake(options(SslMode.PREFER).build(), home, true)).isEqualTo(client.certificate());
    }

    @Test
    void presentsAnRsaClientCertificateFromAnEncryptedKey() throws Exception {
        Issued rsaClient = TlsTestCertificates.issue("app", TlsTestCertificates.rsa(), ca, "SHA256withRSA", List.of());
        Path cert = write("rsa.crt", TlsTestCertificates.certificatesPem(rsaClient.certificate()));
        Path key = write("rsa.key", TlsTestCertificates.encryptedPkcs8Pem(rsaClient.privateKey(), "s3cret"));
        Certificate seen = handshake(options(SslMode.REQUIRE).sslCert(cert.toString()).sslKey(key.toString())
                .sslPassword("s3cret").build(), emptyHome(), true);
        assertThat(seen).isEqualTo(rsaClient.certificate());
    }

    @Test
    void readsEveryKeyFormat() throws Exception {
        PrivateKey rsa = TlsTestCertificates.rsa().getPrivate();
        PrivateKey ec = TlsTestCertificates.ec("secp384r1").getPrivate();
        PrivateKey ed = TlsTestCertificates.ed25519().getPrivate();
        assertThat(TlsPem.readPrivateKey(write("a.key", TlsTestCertificates.pkcs8Pem(rsa)), null).getEncoded())
                .isEqualTo(rsa.getEncoded());
        assertThat(TlsPem.readPrivateKey(write("b.key", TlsTestCertificates.traditionalPem(rsa, true)), null).getEncoded())
                .isEqualTo(rsa.getEncoded());
        assertThat(TlsPem.readPrivateKey(write("c.key", TlsTestCertificates.pkcs8Pem(ec)), null).getEncoded())
                .isEqualTo(ec.getEncoded());
        PrivateKey fromSec1 = TlsPem.readPrivateKey(write("d.key", TlsTestCertificates.traditionalPem(ec, true)), null);
        assertThat(((java.security.interfaces.ECPrivateKey) fromSec1).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) ec).getS());
        assertThat(TlsPem.readPrivateKey(write("e.key", TlsTestCertificates.pkcs8Pem(ed)), null).getEncoded())
                .isEqualTo(ed.getEncoded());
        assertThat(TlsPem.readPrivateKey(write("f.key", TlsTestCertificates.encryptedPkcs8Pem(ec, "pw")), "pw").getEncoded())
                .isEqualTo(ec.getEncoded());
        String withParameters = "-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n"
                + TlsTestCertificates.traditionalPem(ec, true);
        assertThat(TlsPem.readPrivateKey(write("g.key", withParameters), null).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void explainsKeyProblems() throws Exception {
        PrivateKey ec = TlsTestCertificates.ec("secp256r1").getPrivate();
        Path encrypted = write("enc.key", TlsTestCertificates.encryptedPkcs8Pem(ec, "right"));
        assertThatThrownBy(() -> TlsPem.readPrivateKey(encrypted, null))
                .isInstanceOf(PgException.class).hasMessageContaining("set sslpassword").hasMessageContaining(encrypted.toString());
        assertThatThrownBy(() -> TlsPem.readPrivateKey(encrypted, "wrong"))
                .isInstanceOf(PgException.class).hasMessageContaining("does not decrypt");
        Path noCurve = write("nocurve.key", TlsTestCertificates.traditionalPem(ec, false));
        assertThatThrownBy(() -> TlsPem.readPrivateKey(noCurve, null))
                .isInstanceOf(PgException.class).hasMessageContaining("without its curve");
        Path legacy = write("legacy.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsPem.readPrivateKey(legacy, null))
                .isInstanceOf(PgException.class).hasMessageContaining("openssl pkcs8 -topk8");
        Path certOnly = write("cert-only.key", TlsTestCertificates.certificatesPem(client.certificate()));
        assertThatThrownBy(() -> TlsPem.readPrivateKey(certOnly, null))
                .isInstanceOf(PgException.class).hasMessageContaining("holds no private key");
        Path truncated = write("trunc.key", TlsTestCertificates.pem("PRIVATE KEY", new byte[] {0x30, 0x10, 0x02}));
        assertThatThrownBy(() -> TlsPem.readPrivateKey(truncated, null))
                .isInstanceOf(PgException.class).hasMessageContaining("not a valid PKCS#8");
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() throws Exception {
        Path cert = write("client.crt", TlsTestCertificates.certificatesPem(client.certificate()));
        Path otherKey = write("other.key", TlsTestCertificates.pkcs8Pem(TlsTestCertificates.ec("secp256r1").getPrivate()));
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.REQUIRE).sslCert(cert.toString())
                .sslKey(otherKey.toString()).build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining("is not the private key");
    }

    @Test
    void namesMissingClientFiles() throws Exception {
        Path missingCert = dir.resolve("missing.crt");
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.REQUIRE).sslCert(missingCert.toString()).build(), emptyHome()))
                .isInstanceOf(PgException.class).hasMessageContaining(missingCert.toString());
        Path cert = write("client.crt", TlsTestCertificates.certificatesPem(client.certificate()));
        Path home = emptyHome();
        assertThatThrownBy(() -> TlsConfig.sslContext(options(SslMode.REQUIRE).sslCert(cert.toString()).build(), home))
                .isInstanceOf(PgException.class).hasMessageContaining("set sslkey")
                .hasMessageContaining(home.resolve("postgresql.key").toString());
    }
}
