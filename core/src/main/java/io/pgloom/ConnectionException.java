package io.pgloom;

import java.util.Map;

/**
 * The connection is gone: an I/O error, a closed or broken connection, a protocol violation,
 * or a failure to connect at all. A connection that threw one is closed and says why on every
 * later call; a pool discards it.
 *
 * <p>{@link #requestSent()} tells whether the failed request may have reached the server: when
 * it is false, retrying it on another connection cannot run it twice.
 *
 * <p>Most are client-side ({@code sqlState() == null}). When the server itself ended the session
 * with a FATAL or PANIC error, the exception is a {@link ServerConnectionException} or
 * {@link AuthenticationException} carrying the server's fields. Either way the type alone says
 * the connection is gone:
 *
 * <pre>{@code
 * try {
 *     conn.execute("UPDATE jobs SET done = true WHERE id = $1", id);
 * } catch (ConnectionException e) {
 *     if (!e.requestSent()) {
 *         retryOnAnotherConnection();   // the statement never reached the server
 *     }
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class ConnectionException extends PgException {

    private static final long serialVersionUID = 1L;

    private final boolean requestSent;

    public ConnectionException(String message, Throwable cause, boolean requestSent) {
        super(message, cause);
        this.requestSent = requestSent;
    }

    public ConnectionException(String message, Throwable cause) {
        this(message, cause, true);
    }

    public ConnectionException(String message) {
        this(message, null, true);
    }

    /**
     * The server ended the session with an ErrorResponse of severity FATAL or PANIC, whose
     * fields this exception carries (so {@link #sqlState()} and the rest are set).
     *
     * @param requestSent whether the failed request may have reached the server
     */
    public ConnectionException(Map<Character, String> fields, boolean requestSent) {
        super(fields, null);
        this.requestSent = requestSent;
    }

    /** The server ended the session with these ErrorResponse fields while a request was out. */
    public ConnectionException(Map<Character, String> fields) {
        this(fields, true);
    }

    /** True when the request may have reached the server, so retrying it is not obviously safe. */
    public boolean requestSent() {
        return requestSent;
    }
}
