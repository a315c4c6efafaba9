package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a not-null constraint: SQLSTATE {@code 23502}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class NotNullViolationException extends PgException {

    private static final long serialVersionUID = 1L;

    public NotNullViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
