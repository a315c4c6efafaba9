package io.pgloom.testing;

import io.pgloom.PgException;

/**
 * A throwaway server could not be set up, started or stopped: the message says what went wrong
 * and what to do about it (and, for a server that failed to start, ends with the tail of its log).
 *
 * <p>When one is thrown, nothing that the failed step started is left running and no
 * half-made folder is left behind.
 *
 * <pre>{@code
 * try {
 *     PgServer.builder().version("9.9").build().start();
 * } catch (PgServerException e) {
 *     System.err.println(e.getMessage()); // unknown PostgreSQL version '9.9': use one of ...
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PgServerException extends PgException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message a person can act on. */
    public PgServerException(String message) {
        super(message);
    }

    /** A failure with a message a person can act on and the exception behind it. */
    public PgServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
