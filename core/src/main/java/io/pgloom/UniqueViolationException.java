package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a unique constraint: SQLSTATE {@code 23505}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class UniqueViolationException extends PgException {

    private static final long serialVersionUID = 1L;

    public UniqueViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
