package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a foreign key: SQLSTATE {@code 23503}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class ForeignKeyViolationException extends PgException {

    private static final long serialVersionUID = 1L;

    public ForeignKeyViolationException(Map<Character, String> fields) {
        super(fields);
    }
}
