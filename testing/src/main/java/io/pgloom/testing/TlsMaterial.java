package io.pgloom.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The certificates of one throwaway server, as PEM text: a CA made for it, a server certificate
 * signed by that CA for exactly localhost, 127.0.0.1 and ::1 (so a client test can check that
 * verify-full refuses any other name), and a client certificate for {@code cert_user}.
 *
 * <p>Keys are EC P-256: making three RSA keys costs a noticeable part of a server's start, an EC
 * key almost nothing. Private keys are unencrypted PKCS#8 ("BEGIN PRIVATE KEY"), which both
 * OpenSSL and a Java client read.
 *
 * <p>The certificates are written in DER by hand (RFC 5280's few structures below) and signed
 * with the JDK's ECDSA, rather than with BouncyCastle: loading its signed jar alone took a second
 * of every JVM's first server start.
 */
record TlsMaterial(String caCertificate, String serverCertificate, String serverKey,
                   String clientCertificate, String clientKey) {

    /** The common name of the client certificate: the role that logs in with it. */
    static final String CLIENT_CN = "cert_user";

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    /** keyUsage bits, numbered from the most significant bit of the first byte. */
    private static final int DIGITAL_SIGNATURE = 0x80;
    private static final int KEY_CERT_SIGN = 0x04;
    private static final int CRL_SIGN = 0x02;

    static TlsMaterial generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            KeyPair clientKeys = generator.generateKeyPair();
            String caName = "pgloom test CA";

            byte[] ca = certificate(random, caName, caName, caKeys.getPublic(), caKeys.getPrivate(),
                    extension(BASIC_CONSTRAINTS, true, sequence(bool(true))),
                    extension(KEY_USAGE, true, keyUsage(KEY_CERT_SIGN | CRL_SIGN)));
            byte[] server = certificate(random, caName, "localhost", serverKeys.getPublic(), caKeys.getPrivate(),
                    extension(BASIC_CONSTRAINTS, true, sequence()),
                    extension(KEY_USAGE, true, keyUsage(DIGITAL_SIGNATURE)),
                    extension(EXTENDED_KEY_USAGE, false, sequence(oid(SERVER_AUTH))),
                    extension(SUBJECT_ALT_NAME, false, sequence(
                            tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),           // dNSName
                            tlv(0x87, new byte[] {127, 0, 0, 1}),                                  // iPAddress
                            tlv(0x87, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))));
            byte[] client = certificate(random, caName, CLIENT_CN, clientKeys.getPublic(), caKeys.getPrivate(),
                    extension(BASIC_CONSTRAINTS, true, sequence()),
                    extension(KEY_USAGE, true, keyUsage(DIGITAL_SIGNATURE)),
                    extension(EXTENDED_KEY_USAGE, false, sequence(oid(CLIENT_AUTH))));

            return new TlsMaterial(pem("CERTIFICATE", ca), pem("CERTIFICATE", server),
                    privateKeyPem(serverKeys.getPrivate()), pem("CERTIFICATE", client),
                    privateKeyPem(clientKeys.getPrivate()));
        } catch (GeneralSecurityException e) {
            throw new PgServerException("could not make the test server's TLS certificates: " + e, e);
        }
    }

    /** An X.509 v3 certificate (RFC 5280 section 4.1), checked by parsing it back. */
    private static byte[] certificate(SecureRandom random, String issuer, String subject, PublicKey key,
                                      PrivateKey signingKey, byte[]... extensions) throws GeneralSecurityException {
        Instant now = Instant.now();
        byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
        byte[] tbs = sequence(
                tlv(0xA0, integer(BigInteger.TWO)),                       // version v3, [0] EXPLICIT
                integer(new BigInteger(63, random).add(BigInteger.ONE)), // positive serial
                algorithm,
                name(issuer),
                sequence(time(now.minus(Duration.ofDays(1))), time(now.plus(Duration.ofDays(3650)))),
                name(subject),
                key.getEncoded(),                                         // SubjectPublicKeyInfo as the JDK encodes it
                tlv(0xA3, sequence(extensions)));                         // extensions, [3] EXPLICIT
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signingKey, random);
        signature.update(tbs);
        byte[] der = sequence(tbs, algorithm, bitString(signature.sign()));
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        return der;
    }

    private static byte[] name(String commonName) {
        return sequence(tlv(0x31, sequence(oid(COMMON_NAME), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? sequence(oid(oid), bool(true), tlv(0x04, value)) : sequence(oid(oid), tlv(0x04, value));
    }

    private static byte[] keyUsage(int bits) {
        int unused = Integer.numberOfTrailingZeros(bits); // DER drops trailing zero bits
        return tlv(0x03, new byte[] {(byte) unused, (byte) bits});
    }

    /** UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires. */
    private static byte[] time(Instant instant) {
        var utc = instant.atOffset(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(utc).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(utc).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xFF : 0)});
    }

    private static byte[] bitString(byte[] bytes) {
        return tlv(0x03, concat(new byte[] {0}, bytes));
    }

    private static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >>> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    /** One DER element: tag, definite length (short or long form), contents. */
    private static byte[] tlv(int tag, byte[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String privateKeyPem(PrivateKey key) {
        // The JDK encodes private keys as PKCS#8 already.
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
