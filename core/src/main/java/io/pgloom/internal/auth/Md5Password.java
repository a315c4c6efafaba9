package io.pgloom.internal.auth;

import io.pgloom.PgException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The response to PostgreSQL's AuthenticationMD5Password request:
 * {@code "md5" + hex(md5(hex(md5(password + user)) + salt))}.
 *
 * <p>The inner hash is what the server stores (as {@code "md5" + hex}), so the password never
 * crosses the wire; the four-byte salt keeps a captured response from being replayed. MD5
 * authentication is deprecated in PostgreSQL 18; prefer SCRAM. Stateless and thread-safe.
 */
public final class Md5Password {

    private static final HexFormat HEX = HexFormat.of(); // lower case, as the server compares

    private Md5Password() {
    }

    /** The password message's text, {@code "md5"} followed by 32 lower-case hex digits. */
    public static String hash(String user, String password, byte[] salt4) {
        if (salt4.length != 4) {
            throw new PgException("the server sent an MD5 salt of " + salt4.length + " bytes; the protocol has 4");
        }
        MessageDigest md5 = md5();
        md5.update(password.getBytes(StandardCharsets.UTF_8));
        md5.update(user.getBytes(StandardCharsets.UTF_8));
        byte[] innerHex = HEX.formatHex(md5.digest()).getBytes(StandardCharsets.US_ASCII);
        md5.update(innerHex);
        md5.update(salt4);
        return "md5" + HEX.formatHex(md5.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            // Every JDK must provide MD5 (see MessageDigest's Javadoc), so this means a broken runtime.
            throw new PgException("this JDK provides no MD5, which md5 authentication needs", e);
        }
    }
}
