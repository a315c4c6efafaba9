package io.pgloom.internal.client;

import java.util.Locale;
import java.util.Set;

/**
 * Recognizes statements that must not run on a connection shared by several callers, because
 * they change or depend on the session beyond their own statement: settings ({@code SET},
 * {@code set_config}), {@code LISTEN}, temporary objects, transaction control, cursors, session
 * prepared statements, session advisory locks, {@code COPY}, procedures and {@code DO} blocks
 * that could do any of these, and several statements in one string. It looks at the text only,
 * so it errs on the side of "own connection": a false alarm costs a pipelined round trip, never
 * correctness.
 */
final class SessionChanges {

    private static final Set<String> FIRST_WORDS = Set.of(
            "SET", "RESET", "LISTEN", "UNLISTEN", "DISCARD", "PREPARE", "DEALLOCATE", "DECLARE", "FETCH",
            "MOVE", "CLOSE", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE",
            "COPY", "LOAD", "LOCK", "CALL", "DO", "VACUUM");

    private static final String[] FUNCTIONS = {
            "set_config", "pg_advisory_lock", "pg_advisory_unlock", "pg_try_advisory_lock", "pg_advisory_lock_shared",
            "pg_try_advisory_lock_shared", "pg_advisory_unlock_shared", "pg_advisory_unlock_all", "dblink_connect"};

    private SessionChanges() {
    }

    /**
     * Why {@code sql} needs a connection of its own, or null when it may share one.
     *
     * @param simple true when it runs without parameters, where several statements are allowed
     */
    static String reason(String sql, boolean simple) {
        if (sql == null) {
            return null;
        }
        int i = skipSpaceAndComments(sql, 0);
        String first = word(sql, i);
        if (FIRST_WORDS.contains(first)) {
            return first + " changes or depends on the session";
        }
        if (first.equals("CREATE")) {
            int j = skipSpaceAndComments(sql, i + first.length());
            String second = word(sql, j);
            if (second.equals("LOCAL") || second.equals("GLOBAL")) {
                second = word(sql, skipSpaceAndComments(sql, j + second.length()));
            }
            if (second.equals("TEMP") || second.equals("TEMPORARY")) {
                return "a temporary object belongs to the session";
            }
        }
        String lower = sql.toLowerCase(Locale.ROOT);
        for (String f : FUNCTIONS) {
            if (lower.contains(f)) {
                return f + "() changes the session";
            }
        }
        if (lower.contains(" into temp")) {
            return "a temporary table belongs to the session";
        }
        if (simple) {
            int semicolon = sql.indexOf(';');
            if (semicolon >= 0 && !sql.substring(semicolon + 1).replace(";", "").isBlank()) {
                return "several statements in one string run as one transaction of their own";
            }
        }
        return null;
    }

    private static int skipSpaceAndComments(String sql, int i) {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static String word(String sql, int i) {
        int end = i;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return sql.substring(i, end).toUpperCase(Locale.ROOT);
    }
}
