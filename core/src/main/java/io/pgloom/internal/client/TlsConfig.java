package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.PgException;
import io.pgloom.SslMode;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@link SSLContext} for a connection from its options, with libpq's rules for
 * {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey} and {@code sslpassword}.
 *
 * <p>What is trusted:
 * <ul>
 * <li>{@code disable}, {@code allow}, {@code prefer}, {@code require}: any certificate (the
 *     connection is encrypted, not authenticated), unless {@code sslrootcert} names a file, in
 *     which case the certificate must chain to it, as with {@code verify-ca}.</li>
 * <li>{@code verify-ca}, {@code verify-full}: the certificates in the PEM file
 *     {@code sslrootcert}, by default {@code ~/.postgresql/root.crt}; it is an error when that
 *     file does not exist. {@code sslrootcert=system} trusts the JDK's default store; as in
 *     libpq it needs {@code verify-full}, since any public CA could issue a certificate for
 *     another name.</li>
 * </ul>
 * Whether the host name is checked is {@link #verifyHostName}, applied by the TLS channel.
 *
 * <p>A client certificate comes from {@code sslcert} and {@code sslkey}, or from
 * {@code ~/.postgresql/postgresql.crt} and {@code postgresql.key} when those exist. It is
 * offered whatever CA names the server lists, as libpq does. Unlike libpq, the key file's
 * permissions are not checked.
 *
 * <p>Reads files on every call; stateless and thread-safe. Every failure is a
 * {@link PgException} naming the file and what is wrong.
 */
public final class TlsConfig {

    private static final String SYSTEM = "system";

    private TlsConfig() {
    }

    /** The context for {@code options}; reads the certificate and key files it names. */
    public static SSLContext sslContext(ConnectOptions options) {
        return sslContext(options, defaultDirectory());
    }

    /** True when the server's certificate must name the host connected to: {@code verify-full} only. */
    public static boolean verifyHostName(ConnectOptions options) {
        return options.sslMode() == SslMode.VERIFY_FULL;
    }

    /** As {@link #sslContext(ConnectOptions)}, with the default files looked up in {@code directory}. */
    static SSLContext sslContext(ConnectOptions options, Path directory) {
        TrustManager[] trust = trustManagers(options, directory);
        KeyManager[] keys = keyManagers(options, directory);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new PgException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Where libpq keeps its default files: ~/.postgresql, or %APPDATA%\postgresql on Windows. */
    static Path defaultDirectory() {
        String appData = System.getenv("APPDATA");
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") && appData != null) {
            return Path.of(appData, "postgresql");
        }
        return Path.of(System.getProperty("user.home"), ".postgresql");
    }

    /** Trust managers for {@code options}, or null for the JDK's default trust store. */
    private static TrustManager[] trustManagers(ConnectOptions options, Path directory) {
        SslMode mode = options.sslMode();
        String rootCert = options.sslRootCert();
        boolean verifying = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
        if (SYSTEM.equals(rootCert)) {
            if (mode != SslMode.VERIFY_FULL) {
                throw new PgException("sslrootcert=system needs sslmode=verify-full, not " + libpqName(mode)
                        + ": any public CA could issue a certificate that verify-ca would accept for another server");
            }
            return null;
        }
        if (rootCert != null) {
            return trustFile(Path.of(rootCert), "sslrootcert");
        }
        if (!verifying) {
            return new TrustManager[] {TrustEverything.INSTANCE};
        }
        Path defaultRoot = directory.resolve("root.crt");
        if (!Files.exists(defaultRoot)) {
            throw new PgException("sslmode=" + libpqName(mode) + " needs the CA certificates to trust, but sslrootcert"
                    + " is not set and " + defaultRoot + " does not exist: set sslrootcert to a PEM file of the CA"
                    + " that signed the server's certificate, or to \"system\" for the JDK's trust store");
        }
        return trustFile(defaultRoot, "sslrootcert");
    }

    private static TrustManager[] trustFile(Path file, String role) {
        List<X509Certificate> roots = TlsPem.readCertificates(file, role);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PgException("cannot trust the certificates in " + role + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The client certificate's key manager, or null when there is no client certificate. */
    private static KeyManager[] keyManagers(ConnectOptions options, Path directory) {
        Path certFile;
        if (options.sslCert() != null) {
            certFile = Path.of(options.sslCert());
            if (!Files.exists(certFile)) {
                throw new PgException("sslcert file " + certFile + " does not exist");
            }
        } else {
            certFile = directory.resolve("postgresql.crt");
            if (!Files.exists(certFile)) {
                return null; // no client certificate: the common case
            }
        }
        Path keyFile = options.sslKey() != null ? Path.of(options.sslKey()) : directory.resolve("postgresql.key");
        if (!Files.exists(keyFile)) {
            throw new PgException("client certificate " + certFile + " has no private key: " + keyFile
                    + " does not exist; set sslkey to the PEM file of its key");
        }
        List<X509Certificate> chain = TlsPem.readCertificates(certFile, "sslcert");
        PrivateKey key = TlsPem.readPrivateKey(keyFile, options.sslPassword());
        requireMatchingKey(chain.get(0), key, certFile, keyFile);
        return new KeyManager[] {new ClientKey(chain.toArray(X509Certificate[]::new), key)};
    }

    /** Signs and verifies a few bytes: a mismatched pair would otherwise fail late, in the handshake. */
    private static void requireMatchingKey(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        boolean matches;
        try {
            byte[] probe = "pgloom key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new PgException("sslkey file " + keyFile + " is not the private key of the certificate in sslcert file "
                    + certFile);
        }
    }

    private static String libpqName(SslMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts any server certificate: sslmode below verify-ca encrypts without authenticating. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        static final TrustEverything INSTANCE = new TrustEverything();

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client does not check client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("a client does not check client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("a client does not check client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * One client certificate and key, offered whenever its key type fits. The JDK's own key
     * manager would offer it only when the server's list of CA names includes the issuer;
     * libpq always sends it, and the server's error then says what is wrong.
     */
    private static final class ClientKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "pgloom-client";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        ClientKey(X509Certificate[] chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return fits(keyTypes) ? ALIAS : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return fits(keyTypes) ? ALIAS : null;
        }

        private boolean fits(String[] keyTypes) {
            return keyTypes == null || Arrays.stream(keyTypes).anyMatch(key.getAlgorithm()::equalsIgnoreCase);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return fits(new String[] {keyType}) ? new String[] {ALIAS} : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
