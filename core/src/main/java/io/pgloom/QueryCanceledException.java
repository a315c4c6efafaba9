package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of a cancel request or statement timeout: SQLSTATE {@code 57014}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class QueryCanceledException extends PgException {

    private static final long serialVersionUID = 1L;

    public QueryCanceledException(Map<Character, String> fields) {
        super(fields);
    }
}
