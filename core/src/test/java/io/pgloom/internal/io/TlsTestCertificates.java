package io.pgloom.internal.io;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates and keys made in memory for TLS tests (with Bouncy Castle, test scope only), and
 * PEM text in the formats OpenSSL writes.
 */
public final class TlsTestCertificates {

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    private static final Provider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TlsTestCertificates() {
    }

    /** One RSA key pair shared by every test: generating RSA keys is slow, and tests only need its type. */
    public static KeyPair rsa() {
        return SharedRsa.KEYS;
    }

    private static final class SharedRsa {
        static final KeyPair KEYS;

        static {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KEYS = g.generateKeyPair();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A self-signed RSA CA certificate, signing with SHA256withRSA. */
    public static Issued ca(String commonName) {
        KeyPair keys = rsa();
        return new Issued(keys, build(commonName, keys, null, "SHA256withRSA", true, List.of()));
    }

    /** A self-signed CA certificate with its own fresh EC key, signing with SHA256withECDSA. */
    public static Issued otherCa(String commonName) {
        KeyPair keys = ec("secp256r1");
        return new Issued(keys, build(commonName, keys, null, "SHA256withECDSA", true, List.of()));
    }

    /**
     * A server certificate for localhost and 127.0.0.1 with a fresh EC key, signed by an RSA
     * {@code issuer}, so its signature algorithm is SHA256withRSA.
     */
    public static Issued localhostServer(Issued issuer) {
        KeyPair keys = ec("secp256r1");
        return new Issued(keys, build("localhost", keys, issuer, "SHA256withRSA", false, List.of("dns:localhost", "ip:127.0.0.1")));
    }

    /** A certificate for {@code keys}, signed by {@code issuer} (or itself) with {@code signatureAlgorithm}. */
    public static Issued issue(String commonName, KeyPair keys, Issued issuer, String signatureAlgorithm,
                               List<String> subjectAltNames) {
        return new Issued(keys, build(commonName, keys, issuer, signatureAlgorithm, false, subjectAltNames));
    }

    private static X509Certificate build(String commonName, KeyPair keys, Issued issuer, String signatureAlgorithm,
                                         boolean isCa, List<String> subjectAltNames) {
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject
                    : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.privateKey();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
            if (isCa) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            }
            if (!subjectAltNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String san : subjectAltNames) {
                    names.add(san.startsWith("ip:") ? new GeneralName(GeneralName.iPAddress, san.substring(3))
                            : new GeneralName(GeneralName.dNSName, san.substring(4)));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A server-side context presenting {@code server} (and its issuer chain), trusting {@code clientRoots}. */
    public static SSLContext serverContext(List<X509Certificate> chain, PrivateKey key, X509Certificate... clientRoots) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", key, "pw".toCharArray(), chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, "pw".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), clientRoots.length == 0 ? null : trustManagers(clientRoots), null);
            return context;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A client-side context trusting {@code roots}. */
    public static SSLContext clientContext(X509Certificate... roots) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(roots), null);
            return context;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate... roots) throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        for (int i = 0; i < roots.length; i++) {
            trustStore.setCertificateEntry("root" + i, roots[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        return tmf.getTrustManagers();
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static String certificatesPem(X509Certificate... certificates) {
        StringBuilder b = new StringBuilder();
        try {
            for (X509Certificate c : certificates) {
                b.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return b.toString();
    }

    /** "BEGIN PRIVATE KEY". */
    public static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** "BEGIN RSA PRIVATE KEY" or "BEGIN EC PRIVATE KEY": the inner key of PKCS#8, as OpenSSL 1.x wrote. */
    public static String traditionalPem(PrivateKey key, boolean withEcCurve) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            if (key.getAlgorithm().equals("RSA")) {
                return pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
            }
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1Encodable curve = withEcCurve ? info.getPrivateKeyAlgorithm().getParameters() : null;
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength(),
                    inner.getKey(), inner.getPublicKey(), curve);
            return pem("EC PRIVATE KEY", sec1.getEncoded());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** "BEGIN ENCRYPTED PRIVATE KEY": PBES2, PBKDF2 with HMAC-SHA-256, AES-256-CBC, as OpenSSL 3 writes. */
    public static String encryptedPkcs8Pem(PrivateKey key, String password) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC).setPRF(PKCS8Generator.PRF_HMACSHA256).setPassword(password.toCharArray()).build();
            return pem("ENCRYPTED PRIVATE KEY", new JcaPKCS8Generator(key, encryptor).generate().getContent());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
