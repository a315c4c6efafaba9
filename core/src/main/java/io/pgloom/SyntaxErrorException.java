package io.pgloom;

import java.util.Map;

/**
 * The server could not parse a statement: SQLSTATE {@code 42601} syntax_error.
 * {@link #position()} is the 1-based character position of the error in the query, and
 * {@link #getMessage()} includes it.
 * The connection stays usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     conn.execute(userSuppliedDdl);
 * } catch (SyntaxErrorException e) {
 *     return "syntax error at character " + e.position();
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class SyntaxErrorException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public SyntaxErrorException(Map<Character, String> fields) {
        super(fields);
    }
}
