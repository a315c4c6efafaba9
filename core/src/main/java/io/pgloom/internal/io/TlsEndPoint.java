package io.pgloom.internal.io;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

/**
 * The {@code tls-server-end-point} channel binding of RFC 5929 section 4.1: a hash of the
 * server's certificate, which SCRAM-SHA-256-PLUS signs so that authentication fails through a
 * man in the middle who presents a different certificate.
 *
 * <p>The hash function is the one the certificate's own signature uses, except that MD5 and
 * SHA-1 become SHA-256. {@code SHA384withRSA} and {@code SHA384withECDSA} give SHA-384,
 * {@code SHA512with...} SHA-512, and so on. RSASSA-PSS names its hash in its parameters, which
 * are read; if they cannot be read, SHA-256 (the common choice) is used. Ed25519 and Ed448 use
 * no separate hash, RFC 5929 defines nothing for them, and PostgreSQL cannot compute a binding
 * for them either: {@link #hash} returns null, so SCRAM runs without binding (or fails clearly
 * under {@code channel_binding=require}).
 *
 * <p>Stateless and thread-safe.
 */
final class TlsEndPoint {

    private TlsEndPoint() {
    }

    /** The binding data for {@code session}'s peer, or null when no hash is defined for it. */
    static byte[] hash(SSLSession session) throws SSLException {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new SSLException("the server presented no certificate, so there is nothing to bind to", e);
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SSLException("the server's certificate is not X.509, so tls-server-end-point is undefined");
        }
        return hash(leaf);
    }

    /** The binding data for {@code certificate}, or null when no hash is defined for it. */
    static byte[] hash(X509Certificate certificate) throws SSLException {
        String digest = digestFor(certificate);
        if (digest == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance(digest).digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot compute " + digest + " of the server certificate for channel binding", e);
        }
    }

    /** The JDK name of the hash for tls-server-end-point, or null when none applies. */
    static String digestFor(X509Certificate certificate) {
        String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        if (algorithm.equals("RSASSA-PSS")) {
            return pssDigest(certificate.getSigAlgParams());
        }
        int with = algorithm.indexOf("WITH");
        if (with <= 0) {
            return null; // Ed25519, Ed448 and anything else without a separate hash
        }
        return switch (algorithm.substring(0, with)) {
            case "MD5", "SHA1", "SHA-1", "SHA256" -> "SHA-256";
            case "SHA224" -> "SHA-224";
            case "SHA384" -> "SHA-384";
            case "SHA512" -> "SHA-512";
            case "SHA3-224" -> "SHA3-224";
            case "SHA3-256" -> "SHA3-256";
            case "SHA3-384" -> "SHA3-384";
            case "SHA3-512" -> "SHA3-512";
            default -> null;
        };
    }

    private static String pssDigest(byte[] encodedParameters) {
        if (encodedParameters == null) {
            return "SHA-256";
        }
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
            parameters.init(encodedParameters);
            String digest = parameters.getParameterSpec(PSSParameterSpec.class).getDigestAlgorithm();
            // PSS with SHA-1 (its ASN.1 default) falls under RFC 5929's "SHA-1 becomes SHA-256" rule.
            return digest.equalsIgnoreCase("SHA-1") || digest.equalsIgnoreCase("SHA1") ? "SHA-256" : digest;
        } catch (GeneralSecurityException | java.io.IOException e) {
            return "SHA-256";
        }
    }
}
