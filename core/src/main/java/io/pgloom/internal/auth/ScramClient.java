package io.pgloom.internal.auth;

import io.pgloom.ConnectOptions.ChannelBinding;
import io.pgloom.PgException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * One SCRAM-SHA-256 or SCRAM-SHA-256-PLUS exchange (RFC 5802, RFC 7677), as PostgreSQL runs it
 * inside AuthenticationSASL messages.
 *
 * <pre>{@code
 * ScramClient scram = ScramClient.create(offered, password, ChannelBinding.PREFER, tls.tlsServerEndPointHash());
 * send SASLInitialResponse(scram.mechanism(), scram.clientFirstMessage());
 * send SASLResponse(scram.clientFinalMessage(saslContinue.data()));
 * scram.verifyServerFinal(saslFinal.data());   // throws unless the server proved it knows the password
 * }</pre>
 *
 * <p>PostgreSQL ignores the SCRAM user name (it takes the one from the StartupMessage), so the
 * client-first message carries an empty one, as libpq sends. With channel binding the client
 * proves that the TLS connection it authenticates over ends at the server holding the
 * certificate: the hash of the server's certificate ({@code tls-server-end-point}, RFC 5929)
 * goes into the signed message, so a man in the middle with another certificate cannot relay
 * the exchange.
 *
 * <p>Single use and not thread-safe: one object per authentication, called in the order above.
 */
public final class ScramClient {

    /** The mechanism without channel binding. */
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    /** The mechanism with {@code tls-server-end-point} channel binding. */
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";

    private static final int NONCE_BYTES = 18; // as libpq: 24 base64 characters

    private final String mechanism;
    private final String gs2Header;
    private final byte[] channelBindingData; // null unless PLUS
    private final String clientNonce;
    private final String clientFirstBare;
    private final byte[] passwordBytes;

    private String authMessage;
    private byte[] saltedPassword;
    private State state = State.CLIENT_FIRST;

    private enum State { CLIENT_FIRST, CLIENT_FINAL, SERVER_FINAL, DONE }

    /** A client with a chosen nonce and user name: for the RFC 7677 test vector and tests. */
    ScramClient(String mechanism, String gs2Header, byte[] channelBindingData, String password,
                String user, String clientNonce) {
        this.mechanism = mechanism;
        this.gs2Header = gs2Header;
        this.channelBindingData = channelBindingData;
        this.passwordBytes = SaslPrep.passwordBytes(password);
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=" + escapeUser(user) + ",r=" + clientNonce;
    }

    /**
     * Chooses the mechanism from what the server offered and starts an exchange.
     *
     * <p>SCRAM-SHA-256-PLUS is used when the server offers it, {@code tlsServerEndPointHash}
     * is known and {@code mode} is not {@link ChannelBinding#DISABLE DISABLE}. Otherwise plain
     * SCRAM-SHA-256 is used, with the header {@code "y,,"} ("I could bind, but you did not
     * offer it", which lets the server detect a downgrade) over TLS, else {@code "n,,"}.
     *
     * @param serverMechanisms the mechanisms in the AuthenticationSASL message
     * @param password the password; null is treated as empty (the server will refuse it)
     * @param tlsServerEndPointHash the RFC 5929 hash of the server certificate, or null
     *        without TLS (or when the certificate names no usable hash)
     * @throws PgException when {@code mode} is REQUIRE and binding is impossible, or when the
     *         server offers no SCRAM-SHA-256 mechanism this client can use
     */
    public static ScramClient create(List<String> serverMechanisms, String password, ChannelBinding mode,
                                     byte[] tlsServerEndPointHash) {
        boolean serverOffersPlus = serverMechanisms.contains(SCRAM_SHA_256_PLUS);
        boolean serverOffersPlain = serverMechanisms.contains(SCRAM_SHA_256);
        boolean canBind = tlsServerEndPointHash != null && mode != ChannelBinding.DISABLE;
        String pw = password == null ? "" : password;
        String nonce = randomNonce();

        if (serverOffersPlus && canBind) {
            String header = "p=tls-server-end-point,,";
            return new ScramClient(SCRAM_SHA_256_PLUS, header, tlsServerEndPointHash.clone(), pw, "", nonce);
        }
        if (mode == ChannelBinding.REQUIRE) {
            if (tlsServerEndPointHash == null) {
                throw new PgException("channel_binding=require, but channel binding is impossible here: "
                        + "the connection is not TLS (or the server certificate's signature algorithm names no "
                        + "hash for tls-server-end-point); use sslmode=require or stronger");
            }
            throw new PgException("channel_binding=require, but the server did not offer SCRAM-SHA-256-PLUS "
                    + "(it offered " + serverMechanisms + "); the server may not support channel binding, "
                    + "or something between client and server removed it");
        }
        if (!serverOffersPlain) {
            throw new PgException("the server asked for SASL authentication with " + serverMechanisms
                    + ", but pgloom supports only SCRAM-SHA-256 and SCRAM-SHA-256-PLUS"
                    + (serverOffersPlus ? " (PLUS needs TLS and channel_binding other than disable)" : ""));
        }
        String header = tlsServerEndPointHash != null && mode != ChannelBinding.DISABLE ? "y,," : "n,,";
        return new ScramClient(SCRAM_SHA_256, header, null, pw, "", nonce);
    }

    /** The mechanism to name in SASLInitialResponse. */
    public String mechanism() {
        return mechanism;
    }

    /** The client-first message: the GS2 header, then {@code n=<user>,r=<nonce>}. */
    public byte[] clientFirstMessage() {
        expect(State.CLIENT_FIRST, "clientFirstMessage");
        state = State.CLIENT_FINAL;
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the server-first message ({@code r=<nonce>,s=<salt>,i=<iterations>}) and returns the
     * client-final message with the proof that this client knows the password.
     *
     * @throws PgException naming what is wrong with the server-first message
     */
    public byte[] clientFinalMessage(byte[] serverFirstMessage) {
        return clientFinalMessage(serverFirstMessage, Integer.MAX_VALUE);
    }

    /**
     * As {@link #clientFinalMessage(byte[])}, refusing an iteration count over
     * {@code maxIterations} before any hashing: a hostile server could ask for billions.
     */
    public byte[] clientFinalMessage(byte[] serverFirstMessage, int maxIterations) {
        expect(State.CLIENT_FINAL, "clientFinalMessage");
        String serverFirst = new String(serverFirstMessage, StandardCharsets.UTF_8);
        if (serverFirst.startsWith("m=")) {
            throw new PgException("SCRAM: the server demands an extension this client does not know: " + serverFirst);
        }
        String[] attributes = serverFirst.split(",", -1);
        if (attributes.length < 3) {
            throw new PgException("SCRAM: malformed server-first message \"" + serverFirst + "\"");
        }
        String serverNonce = attribute(attributes[0], 'r', serverFirst);
        String saltBase64 = attribute(attributes[1], 's', serverFirst);
        String iterationText = attribute(attributes[2], 'i', serverFirst);

        if (!serverNonce.startsWith(clientNonce) || serverNonce.length() == clientNonce.length()) {
            throw new PgException("SCRAM: the server's nonce does not extend the client's nonce;"
                    + " the exchange was tampered with or the server is broken");
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(saltBase64);
        } catch (IllegalArgumentException e) {
            throw new PgException("SCRAM: the server's salt is not valid base64: \"" + saltBase64 + "\"");
        }
        if (salt.length == 0) {
            throw new PgException("SCRAM: the server sent an empty salt");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(iterationText);
        } catch (NumberFormatException e) {
            iterations = 0;
        }
        if (iterations < 1 && iterationText.matches("[0-9]{10,}")) {
            iterations = Integer.MAX_VALUE; // beyond int: over any cap
        }
        if (iterations < 1) {
            throw new PgException("SCRAM: invalid iteration count \"" + iterationText + "\"; it must be 1 or more");
        }
        if (iterations > maxIterations) {
            throw new PgException("SCRAM: the server asks for " + iterationText + " iterations, more than"
                    + " scram_max_iterations (" + maxIterations + "); refused before hashing. Raise"
                    + " scram_max_iterations if the server really is set up so");
        }

        byte[] cbind = channelBindingData == null
                ? gs2Header.getBytes(StandardCharsets.UTF_8)
                : concat(gs2Header.getBytes(StandardCharsets.UTF_8), channelBindingData);
        String clientFinalWithoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + serverNonce;
        authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;

        saltedPassword = hi(passwordBytes, salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = sha256(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = clientKey;
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= clientSignature[i];
        }
        state = State.SERVER_FINAL;
        return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the server-final message: {@code v=<signature>} must prove the server knows the
     * password too; {@code e=<error>} is the server refusing.
     *
     * @throws PgException when the server reports an error or its signature is wrong
     */
    public void verifyServerFinal(byte[] serverFinalMessage) {
        expect(State.SERVER_FINAL, "verifyServerFinal");
        state = State.DONE;
        String serverFinal = new String(serverFinalMessage, StandardCharsets.UTF_8);
        if (serverFinal.startsWith("e=")) {
            throw new PgException("SCRAM: the server refused authentication: " + serverFinal.substring(2));
        }
        if (!serverFinal.startsWith("v=")) {
            throw new PgException("SCRAM: malformed server-final message \"" + serverFinal + "\"");
        }
        int end = serverFinal.indexOf(',');
        String signatureBase64 = serverFinal.substring(2, end < 0 ? serverFinal.length() : end);
        byte[] received;
        try {
            received = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            throw new PgException("SCRAM: the server signature is not valid base64");
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        byte[] expected = hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
        // MessageDigest.isEqual takes time independent of where the arrays differ.
        if (!MessageDigest.isEqual(expected, received)) {
            throw new PgException("SCRAM: the server's signature is wrong: the server does not know the password,"
                    + " so it may not be the server you meant to reach");
        }
    }

    /** Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256 over the exact password bytes, one block. */
    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        // Not PBKDF2WithHmacSHA256: the JDK's takes a char[] and encodes it itself, while SCRAM
        // needs the SASLprep'd UTF-8 bytes (or raw bytes) as the HMAC key exactly.
        Mac mac = hmacSha256(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return hmacSha256(key).doFinal(data);
    }

    private static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty key is legal for HMAC but SecretKeySpec refuses it; a one-zero-byte key
            // is the same HMAC key, since HMAC pads keys with zeros to the block size.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new PgException("this JDK provides no HmacSHA256, which SCRAM needs", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new PgException("this JDK provides no SHA-256, which SCRAM needs", e);
        }
    }

    private static String attribute(String field, char name, String message) {
        if (field.length() < 2 || field.charAt(0) != name || field.charAt(1) != '=') {
            throw new PgException("SCRAM: expected attribute \"" + name + "=\" in server-first message \""
                    + message + "\"");
        }
        return field.substring(2);
    }

    private static String randomNonce() {
        byte[] raw = new byte[NONCE_BYTES];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw); // printable, never a comma
    }

    /** RFC 5802 saslname: "=" and "," must be escaped. */
    private static String escapeUser(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void expect(State expected, String method) {
        if (state != expected) {
            throw new PgException("SCRAM: " + method + "() called out of order (state " + state + ")");
        }
    }
}
