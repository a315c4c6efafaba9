package io.pgloom.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates of one throwaway server, as PEM text: a CA made for it, a server certificate
 * signed by that CA for exactly localhost, 127.0.0.1 and ::1 (so a client test can check that
 * verify-full refuses any other name), and a client certificate for {@code cert_user}.
 *
 * <p>Keys are EC P-256: making three RSA keys costs a noticeable part of a server's start, an EC
 * key almost nothing. Private keys are unencrypted PKCS#8 ("BEGIN PRIVATE KEY"), which both
 * OpenSSL and a Java client read.
 */
record TlsMaterial(String caCertificate, String serverCertificate, String serverKey,
                   String clientCertificate, String clientKey) {

    /** The common name of the client certificate: the role that logs in with it. */
    static final String CLIENT_CN = "cert_user";

    static TlsMaterial generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            KeyPair clientKeys = generator.generateKeyPair();
            X500Name caName = new X500Name("CN=pgloom test CA");
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X509v3CertificateBuilder ca = builder(caName, caName, caKeys);
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys.getPrivate());

            X509v3CertificateBuilder server = builder(caName, new X500Name("CN=localhost"), serverKeys);
            leafExtensions(server, ext, caCert, serverKeys, KeyPurposeId.id_kp_serverAuth);
            server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
            X509Certificate serverCert = sign(server, caKeys.getPrivate());

            X509v3CertificateBuilder client = builder(caName, new X500Name("CN=" + CLIENT_CN), clientKeys);
            leafExtensions(client, ext, caCert, clientKeys, KeyPurposeId.id_kp_clientAuth);
            X509Certificate clientCert = sign(client, caKeys.getPrivate());

            return new TlsMaterial(pem("CERTIFICATE", caCert.getEncoded()),
                    pem("CERTIFICATE", serverCert.getEncoded()), privateKeyPem(serverKeys.getPrivate()),
                    pem("CERTIFICATE", clientCert.getEncoded()), privateKeyPem(clientKeys.getPrivate()));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new PgServerException("could not make the test server's TLS certificates: " + e, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                subject, keys.getPublic());
    }

    private static void leafExtensions(X509v3CertificateBuilder builder, JcaX509ExtensionUtils ext,
                                       X509Certificate ca, KeyPair keys, KeyPurposeId purpose)
            throws CertIOException, GeneralSecurityException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey caKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    }

    private static String privateKeyPem(PrivateKey key) {
        // The JDK encodes private keys as PKCS#8 already.
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
