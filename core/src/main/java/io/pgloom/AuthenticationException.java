package io.pgloom;

import java.util.Map;

/**
 * Logging in failed, so no connection was made. From the server it is SQLSTATE class 28:
 * {@code 28P01} invalid_password (wrong password, or SCRAM proof rejected) or {@code 28000}
 * invalid_authorization_specification (no pg_hba.conf entry, an unknown role, a role that may
 * not log in). pgloom also throws it client-side, with {@code sqlState() == null}, when it
 * cannot authenticate: a password is needed and none was given, the server asks for a method
 * pgloom does not support, or the server's SCRAM signature does not verify.
 *
 * <p>The connection is gone (it never opened) and {@link #requestSent()} is false: nothing of
 * any query reached the server. Retrying with the same credentials will fail the same way.
 *
 * <pre>{@code
 * try (PgConnection conn = PgConnection.connect(options)) {
 *     ...
 * } catch (AuthenticationException e) {
 *     System.err.println("cannot log in: " + e.getMessage());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class AuthenticationException extends ConnectionException {

    private static final long serialVersionUID = 1L;

    /** The server refused the login with these ErrorResponse fields. */
    public AuthenticationException(Map<Character, String> fields) {
        super(fields, false);
    }

    /** pgloom could not authenticate, before or without the server's verdict. */
    public AuthenticationException(String message) {
        this(message, null);
    }

    /** pgloom could not authenticate, because of {@code cause}. */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
