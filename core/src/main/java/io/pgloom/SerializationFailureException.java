package io.pgloom;

import java.util.Map;

/**
 * The server refused a statement because of serializable isolation (retry the transaction): SQLSTATE {@code 40001}.
 * The connection stays usable; an open transaction is failed until rolled back.
 */
public class SerializationFailureException extends PgException {

    private static final long serialVersionUID = 1L;

    public SerializationFailureException(Map<Character, String> fields) {
        super(fields);
    }
}
