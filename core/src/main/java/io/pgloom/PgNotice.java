package io.pgloom;

import java.util.Map;

/**
 * A NoticeResponse from the server: a warning, notice or other non-error message.
 *
 * @param severity the severity, not localized (WARNING, NOTICE, DEBUG, INFO, LOG)
 * @param sqlState the five-character SQLSTATE
 * @param message the primary message
 * @param fields every field sent, keyed by its protocol code
 */
public record PgNotice(String severity, String sqlState, String message, Map<Character, String> fields) {

    public PgNotice {
        fields = Map.copyOf(fields);
    }

    /** Builds a notice from the fields of a NoticeResponse. */
    public static PgNotice of(Map<Character, String> fields) {
        String severity = fields.get('V') != null ? fields.get('V') : fields.get('S');
        return new PgNotice(severity, fields.get('C'), fields.get('M'), fields);
    }

    @Override
    public String toString() {
        return severity + ": " + message + " [SQLSTATE " + sqlState + "]";
    }
}
