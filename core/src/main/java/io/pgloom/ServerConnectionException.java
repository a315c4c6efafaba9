package io.pgloom;

import java.util.Map;

/**
 * The server ended the session: it sent an ErrorResponse of severity FATAL or PANIC (or any
 * error while the connection was starting up) and closed the connection. Every field the server
 * sent is available, as for any server error; the connection is gone, as for any
 * {@link ConnectionException}, and a pool discards it.
 *
 * <p>Common causes: the server shutting down or the session terminated by an administrator
 * ({@link AdminShutdownException}), the server still starting up ({@code 57P03}
 * {@link SqlState#CANNOT_CONNECT_NOW}), too many connections ({@code 53300}), an unknown database
 * ({@code 3D000}), an idle-session timeout ({@code 57P05}, {@code 25P03}). A failed login is an
 * {@link AuthenticationException} instead.
 *
 * <pre>{@code
 * try {
 *     conn.execute("SELECT 1");
 * } catch (ServerConnectionException e) {
 *     log.warn("server closed the session: " + e.sqlState() + " " + e.serverMessage());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class ServerConnectionException extends ConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * @param fields the ErrorResponse's fields, keyed by their protocol codes
     * @param requestSent whether the failed request may have reached the server
     */
    public ServerConnectionException(Map<Character, String> fields, boolean requestSent) {
        super(fields, requestSent);
    }

    /** The server ended the session while a request was out. */
    public ServerConnectionException(Map<Character, String> fields) {
        this(fields, true);
    }
}
