package io.pgloom;

import java.util.Map;

/**
 * The server refused a value: SQLSTATE class {@code 22} (data exception), such as 22003
 * numeric_value_out_of_range, 22P02 invalid_text_representation or 22012 division_by_zero.
 * It is the caller's input that was wrong, so a web app answers it with a 4xx status rather than
 * a 5xx one; running the statement again with the same values fails again. The connection stays
 * usable; an open transaction is failed until rolled back.
 *
 * <pre>{@code
 * try {
 *     return ok(pool.fetchVal("SELECT 2 ^ $1::int", power));
 * } catch (DataException e) {
 *     return badRequest(e.serverMessage());      // 400
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class DataException extends PgException {

    private static final long serialVersionUID = 1L;

    /** Built from an ErrorResponse's fields, keyed by their protocol codes. */
    public DataException(Map<Character, String> fields) {
        super(fields);
    }
}
