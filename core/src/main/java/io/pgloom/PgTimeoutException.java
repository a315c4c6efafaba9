package io.pgloom;

/**
 * A client-side deadline passed: connecting, acquiring from a pool, or waiting for a reply.
 * A command timeout on a running query ends as {@link QueryCanceledException} instead, since
 * the server cancels the query and the connection survives.
 */
public class PgTimeoutException extends PgException {

    private static final long serialVersionUID = 1L;

    public PgTimeoutException(String message) {
        super(message);
    }

    public PgTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
