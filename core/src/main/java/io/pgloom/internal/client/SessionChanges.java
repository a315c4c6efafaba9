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
     * <p>Asked on every pool query (once to pick a lane, once on the lane), so the answer for a
     * text is kept: scanning it each time (upper- and lower-casing it, a set lookup, nine
     * substring searches) was 4.5% of the client's samples in W5 at four callers.
     *
     * @param simple true when it runs without parameters, where several statements are allowed
     */
    static String reason(String sql, boolean simple) {
        if (sql == null) {
            return null;
        }
        Verdict known = JUDGED.get(sql);
        if (known == null) {
            String withArguments = judge(sql);
            known = new Verdict(withArguments, withArguments != null ? withArguments : severalStatements(sql));
            if (sql.length() <= JUDGED_TEXT_MAX && JUDGED.size() < JUDGED_MAX) {
                JUDGED.put(sql, known);
            }
        }
        return simple ? known.withoutArguments() : known.withArguments();
    }

    /** {@link #reason} for a text run with arguments, and without (where several statements may come). */
    private record Verdict(String withArguments, String withoutArguments) {
    }

    /**
     * Verdicts on texts seen before, shared by every connection. Bounded in entries and in text
     * length, so an app that builds its SQL with literals in it (every text new) fills it once
     * and then just scans; an entry stays right forever, since the verdict depends on the text alone.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Verdict> JUDGED =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int JUDGED_MAX = 4096;
    static final int JUDGED_TEXT_MAX = 2048;

    /** Whether the verdict on this text is kept; for tests. */
    static boolean isJudged(String sql) {
        return JUDGED.containsKey(sql);
    }

    /** {@link #reason} for a statement with arguments, worked out from the text. */
    private static String judge(String sql) {
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
        return null;
    }

    /** Why a text without arguments, fine otherwise, still needs a connection of its own, or null. */
    private static String severalStatements(String sql) {
        int semicolon = sql.indexOf(';');
        if (semicolon >= 0 && !sql.substring(semicolon + 1).replace(";", "").isBlank()) {
            return "several statements in one string run as one transaction of their own";
        }
        return null;
    }

    /** Words that start a query that only reads (unless a function it calls writes). */
    private static final Set<String> READ_WORDS = Set.of("SELECT", "VALUES", "TABLE");

    /**
     * Text that keeps a read out of a shared Sync: row locks (held until the shared commit),
     * {@code SELECT INTO} (creates a table), and functions whose effect is tied to, or escapes,
     * the transaction they run in (ids and locks of the transaction, sequences, notifications,
     * large objects, other sessions and servers), or that take long on purpose.
     */
    private static final String[] NOT_SHARED = {
            " into ", "for update", "for share", "for no key", "for key share",
            "nextval", "setval", "txid_", "xact", "pg_notify", "lo_creat", "lo_import", "lo_export", "lo_unlink",
            "lo_put", "lo_from", "lo_open", "lo_truncate", "dblink", "pg_sleep",
            "pg_cancel_backend", "pg_terminate_backend", "pg_create", "pg_drop", "pg_export_snapshot",
            "pg_reload_conf", "pg_switch_wal", "pg_stat_reset"};

    /**
     * True when {@code sql} is a query that only reads, as far as its text shows, so that it may
     * run in one implicit transaction with other callers' reads (one Sync for all of them). The
     * text cannot show what a function it calls does; that is why the pipelined session holds
     * every result of such a group until the group commits, and runs the group's statements
     * again, each alone, when any of them fails.
     */
    static boolean isPlainRead(String sql) {
        if (sql == null || reason(sql, false) != null) {
            return false;
        }
        int i = skipSpaceAndComments(sql, 0);
        if (!READ_WORDS.contains(word(sql, i))) {
            return false;
        }
        String lower = sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (String s : NOT_SHARED) {
            if (lower.contains(s)) {
                return false;
            }
        }
        return true;
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
