package io.pgloom;

/**
 * The connection is gone: an I/O error, a closed or broken connection, a protocol violation,
 * or a failure to connect at all. A connection that threw one is closed and says why on every
 * later call; a pool discards it.
 *
 * <p>{@link #requestSent()} tells whether the failed request may have reached the server: when
 * it is false, retrying it on another connection cannot run it twice.
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

    /** True when the request may have reached the server, so retrying it is not obviously safe. */
    public boolean requestSent() {
        return requestSent;
    }
}
