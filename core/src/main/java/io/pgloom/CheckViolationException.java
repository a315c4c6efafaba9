package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a check constraint: SQLSTATE {@code 23514}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class CheckViolationException extends PgException {

    private static final long serialVersionUID = 1L;

    public CheckViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
