package io.pgloom;

import java.util.Map;

/**
 * The server terminated the session: SQLSTATE {@code 57P01} admin_shutdown, sent with severity
 * FATAL when the server shuts down ({@code pg_ctl stop}, a failover) or an administrator ends
 * the session ({@code pg_terminate_backend}). The connection is gone; a new one may well succeed
 * once the server is back, so this is usually worth a retry on a fresh connection.
 *
 * <pre>{@code
 * try {
 *     conn.execute("SELECT pg_sleep(60)");
 * } catch (AdminShutdownException e) {
 *     // the server is restarting or someone terminated this session
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class AdminShutdownException extends ServerConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * @param fields the ErrorResponse's fields, keyed by their protocol codes
     * @param requestSent whether the failed request may have reached the server
     */
    public AdminShutdownException(Map<Character, String> fields, boolean requestSent) {
        super(fields, requestSent);
    }

    /** The server terminated the session while a request was out. */
    public AdminShutdownException(Map<Character, String> fields) {
        this(fields, true);
    }
}
