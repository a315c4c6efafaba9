package io.pgloom.internal.session;

import io.pgloom.SessionChange;

/**
 * What a statement may leave behind in the server's session, read from what the client sees:
 * the command tag the server sends back, and the SQL text itself for what no tag shows (a
 * session advisory lock or {@code set_config} inside a SELECT, {@code SELECT ... INTO TEMP}).
 * Results are bit sets over {@link SessionChange#ordinal()}, cheap enough for every request.
 *
 * <p>It errs towards "changed": a false alarm costs a reset that rides ahead of the next
 * request, a miss would hand the next borrower someone else's session.
 */
public final class SessionEffects {

    public static final int SETTINGS = bit(SessionChange.SETTINGS);
    public static final int LISTEN = bit(SessionChange.LISTEN);
    public static final int PREPARED_STATEMENTS = bit(SessionChange.PREPARED_STATEMENTS);
    public static final int CURSORS = bit(SessionChange.CURSORS);
    public static final int TEMPORARY_OBJECTS = bit(SessionChange.TEMPORARY_OBJECTS);
    public static final int ADVISORY_LOCKS = bit(SessionChange.ADVISORY_LOCKS);
    public static final int UNKNOWN = bit(SessionChange.UNKNOWN);

    private SessionEffects() {
    }

    public static int bit(SessionChange change) {
        return 1 << change.ordinal();
    }

    /** What a statement with this command tag may have changed; 0 for the everyday ones. */
    static int ofTag(String tag) {
        if (tag.isEmpty()) {
            return 0;
        }
        return switch (tag.charAt(0)) {
            case 'S' -> tag.equals("SET") ? SETTINGS : 0; // SET, SET ROLE, SET SESSION AUTHORIZATION
            case 'R' -> tag.equals("RESET") ? SETTINGS : 0;
            case 'L' -> tag.equals("LISTEN") ? LISTEN : 0;
            case 'P' -> tag.equals("PREPARE") ? PREPARED_STATEMENTS : 0;
            // DECLARE ... WITH HOLD outlives the transaction; the tag does not say which kind it was.
            case 'D' -> tag.equals("DECLARE CURSOR") ? CURSORS : tag.equals("DO") ? UNKNOWN : 0;
            // CREATE TEMP TABLE/VIEW/SEQUENCE and CREATE FUNCTION pg_temp.f tag like their
            // lasting kin; a schema change is rare enough on a request path to reset after.
            case 'C' -> tag.startsWith("CREATE ") ? TEMPORARY_OBJECTS : tag.equals("CALL") ? UNKNOWN : 0;
            case 'I' -> tag.equals("IMPORT FOREIGN SCHEMA") ? UNKNOWN : 0;
            default -> 0;
        };
    }

    /**
     * What the SQL text names that changes the session without a telling tag: session-level
     * advisory locks ({@code pg_advisory_lock} and kin, not the {@code _xact_} ones that end with
     * the transaction), {@code set_config}, and the words {@code temp}/{@code temporary}/
     * {@code pg_temp}. A statement's text is scanned once: a request path runs the same few
     * statements again and again, and the scan cost more than the rest of the bookkeeping
     * together (3% of the client's samples in W9's JdbcTemplate loop); see {@link #SCANNED}.
     */
    public static int ofSql(String sql) {
        Integer known = SCANNED.get(sql);
        if (known != null) {
            return known;
        }
        int effects = scan(sql);
        if (sql.length() <= SCANNED_TEXT_MAX && SCANNED.size() < SCANNED_MAX) {
            SCANNED.put(sql, effects);
        }
        return effects;
    }

    /**
     * What {@link #scan} found in statements seen before, shared by every connection. Bounded,
     * in entries and in text length, so that an app that builds its SQL with literals in it
     * (every text new) fills it once and then just scans; what is in it stays right forever,
     * since the answer depends on the text alone.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Integer> SCANNED =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int SCANNED_MAX = 4096;
    static final int SCANNED_TEXT_MAX = 2048;

    /** {@link #ofSql} without the memory: one pass over the text, no allocation. */
    static int scan(String sql) {
        int effects = 0;
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = (char) (sql.charAt(i) | 0x20);
            if (c == 'a' && sql.regionMatches(true, i, "advisory_", 0, 9)) {
                if (!sql.regionMatches(true, i + 9, "xact", 0, 4)) {
                    effects |= ADVISORY_LOCKS;
                }
            } else if (c == 's' && sql.regionMatches(true, i, "set_config", 0, 10)) {
                effects |= SETTINGS;
            } else if (c == 't' && !identifierChar(sql, i - 1) && sql.regionMatches(true, i, "temp", 0, 4)
                    && (!identifierChar(sql, i + 4) || sql.regionMatches(true, i + 4, "orary", 0, 5)
                    && !identifierChar(sql, i + 9))) {
                effects |= TEMPORARY_OBJECTS;
            } else if (c == 'p' && sql.regionMatches(true, i, "pg_temp", 0, 7) && !identifierChar(sql, i + 7)) {
                effects |= TEMPORARY_OBJECTS;
            }
        }
        return effects;
    }

    private static boolean identifierChar(String s, int i) {
        if (i < 0 || i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
