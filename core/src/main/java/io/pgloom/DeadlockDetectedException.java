package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a deadlock (retry the transaction): SQLSTATE {@code 40P01}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class DeadlockDetectedException extends PgException {

    private static final long serialVersionUID = 1L;

    public DeadlockDetectedException(Map<Character, String> fields) {
        super(fields);
    }
}
