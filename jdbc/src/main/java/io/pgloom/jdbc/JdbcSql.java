package io.pgloom.jdbc;

import java.util.Locale;

/**
 * A JDBC statement's SQL turned into PostgreSQL's: {@code ?} placeholders become {@code $1},
 * {@code $2}, ... and JDBC escapes ({@code {d '2024-01-31'}}, {@code {fn ...}}, {@code {oj ...}})
 * become plain SQL, while everything that may hold a {@code ?} of its own is copied untouched:
 * string literals ({@code 'it''s?'}, {@code E'\'?'}), quoted identifiers ({@code "a?"}), line and
 * nested block comments, dollar-quoted bodies ({@code $$ ... ? ... $$}, {@code $fn$ ... $fn$}).
 * {@code ??} stands for a literal {@code ?} (the jsonb operators {@code ?}, {@code ?|}, {@code ?&}).
 *
 * <p>The scan also records what the driver needs to know about the statement without asking the
 * server: its first keyword (does it return rows?), whether it has a top-level {@code RETURNING},
 * and whether it holds more than one statement.
 *
 * <pre>{@code
 * JdbcSql s = JdbcSql.parse("SELECT * FROM t WHERE a = ? AND b::text = '?'");
 * s.sql();            // SELECT * FROM t WHERE a = $1 AND b::text = '?'
 * s.parameterCount(); // 1
 * }</pre>
 *
 * @param sql the PostgreSQL text
 * @param parameterCount the number of {@code ?} placeholders that became {@code $n}
 * @param keyword the first keyword, upper case ({@code SELECT}, {@code INSERT}, {@code WITH}), or ""
 * @param mainKeyword for {@code WITH}, the keyword of the statement after the common table
 *                    expressions; otherwise the same as {@code keyword}
 * @param returning true when a {@code RETURNING} clause is at the top level
 * @param statements the number of non-empty statements separated by top-level semicolons
 * @param placeholderEnds for each {@code $n} made from a {@code ?}, the offset in {@code sql} just after it
 * @param insertedRows for a plain {@code INSERT ... VALUES (...), (...)} (no {@code SELECT}, no
 *                     {@code ON CONFLICT}), the rows each run inserts; otherwise -1
 * @param sharedRead true for one {@code SELECT}, {@code VALUES} or {@code TABLE} whose text names
 *                   nothing that writes or that lives in the session ({@link #SESSION_WORDS}), so that
 *                   an auto-commit connection lent by a pool may run it on any of the pool's
 *                   sessions, shared with other callers, and the next statement sees the same
 */
record JdbcSql(String sql, int parameterCount, String keyword, String mainKeyword, boolean returning, int statements,
               int[] placeholderEnds, int insertedRows, boolean sharedRead) {

    /**
     * Words outside literals and comments that keep a query off the pool's shared connections:
     * writes (anywhere, as in a data-changing {@code WITH}, or {@code FOR UPDATE}, or
     * {@code SELECT INTO}), and functions whose answer or effect belongs to the session, so that a
     * later statement on the same JDBC connection must run on the same session: sequences
     * ({@code currval} after {@code nextval}), the session's id and temporary schema, transaction
     * ids, settings, advisory locks and large objects. A function that does one of these inside
     * its body cannot be seen here; the README says so.
     */
    static final java.util.Set<String> SESSION_WORDS = java.util.Set.of(
            "INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "NEXTVAL", "CURRVAL", "LASTVAL", "SETVAL",
            "PG_BACKEND_PID", "PG_TEMP", "PG_MY_TEMP_SCHEMA", "TXID_CURRENT", "TXID_CURRENT_IF_ASSIGNED",
            "PG_CURRENT_XACT_ID", "PG_CURRENT_XACT_ID_IF_ASSIGNED", "SET_CONFIG", "CURRENT_SETTING",
            "PG_LISTENING_CHANNELS", "PG_ADVISORY_LOCK", "PG_ADVISORY_LOCK_SHARED", "PG_TRY_ADVISORY_LOCK",
            "PG_TRY_ADVISORY_LOCK_SHARED", "PG_ADVISORY_UNLOCK", "PG_ADVISORY_UNLOCK_SHARED",
            "PG_ADVISORY_UNLOCK_ALL", "LO_CREAT", "LO_CREATE", "LO_OPEN", "LO_IMPORT", "LO_EXPORT", "LO_UNLINK");

    /** The most texts {@link #cached} keeps; past it the cache starts again, empty. */
    static final int CACHE_ENTRIES = 512;
    /** Texts longer than this are scanned each time rather than kept (a generated bulk statement). */
    static final int CACHE_MAX_LENGTH = 8192;
    private static final java.util.concurrent.ConcurrentHashMap<String, JdbcSql> CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Rewrites {@code jdbcSql}; never fails, whatever the text (an unterminated literal runs to the end). */
    static JdbcSql parse(String jdbcSql) {
        return parse(jdbcSql, true);
    }

    /**
     * {@link #parse(String)}, remembered: frameworks prepare the same few texts for every call
     * (JdbcTemplate and Hibernate make a new {@code PreparedStatement} each time), and the scan
     * was a visible share of a point select's client CPU. The result depends on the text alone,
     * so one cache serves every connection; it is bounded by clearing it when full.
     */
    static JdbcSql cached(String jdbcSql) {
        if (jdbcSql.length() > CACHE_MAX_LENGTH) {
            return parse(jdbcSql);
        }
        JdbcSql parsed = CACHE.get(jdbcSql);
        if (parsed == null) {
            parsed = parse(jdbcSql);
            if (CACHE.size() >= CACHE_ENTRIES) {
                CACHE.clear();
            }
            CACHE.put(jdbcSql, parsed);
        }
        return parsed;
    }

    /** How many texts {@link #cached} holds now; for tests. */
    static int cacheSize() {
        return CACHE.size();
    }

    /**
     * Scans {@code jdbcSql}; with {@code placeholders} false (a plain {@code Statement}, which
     * has no parameters) every {@code ?} is kept as it is.
     */
    static JdbcSql parse(String jdbcSql, boolean placeholders) {
        return parse(jdbcSql, placeholders, true);
    }

    /** Scans {@code jdbcSql}; with {@code escapes} false, JDBC escapes in braces are left as they are. */
    static JdbcSql parse(String jdbcSql, boolean placeholders, boolean escapes) {
        Scanner s = new Scanner(jdbcSql);
        s.placeholders = placeholders;
        s.escapes = escapes;
        return s.scan();
    }

    /** True when the statement produces rows: a query, or a data change with RETURNING. */
    boolean returnsRows() {
        return switch (mainKeyword) {
            case "SELECT", "VALUES", "TABLE", "SHOW", "EXPLAIN", "FETCH" -> true;
            case "INSERT", "UPDATE", "DELETE", "MERGE" -> returning;
            default -> false;
        };
    }

    /**
     * This statement with {@code ::type} after the placeholders whose {@code types} entry is not
     * null, as the driver retries a value the server's inferred type refused.
     */
    String withCasts(String[] types) {
        StringBuilder b = new StringBuilder(sql.length() + 16 * types.length);
        int from = 0;
        for (int i = 0; i < placeholderEnds.length; i++) {
            if (i < types.length && types[i] != null) {
                b.append(sql, from, placeholderEnds[i]).append("::").append(types[i]);
                from = placeholderEnds[i];
            }
        }
        return b.append(sql, from, sql.length()).toString();
    }

    /** True for INSERT, UPDATE, DELETE and MERGE, to which {@code RETURNING} may be added. */
    boolean isDataChange() {
        return switch (mainKeyword) {
            case "INSERT", "UPDATE", "DELETE", "MERGE" -> true;
            default -> false;
        };
    }

    /** The scanner's state: one pass over the text, one output builder. */
    private static final class Scanner {
        private final String in;
        private final StringBuilder out;
        private int pos;
        private int params;
        private int depth;
        private String keyword = "";
        private String mainKeyword = "";
        private boolean returning;
        private int statements;
        private boolean placeholders = true;
        private boolean escapes = true;
        private final java.util.List<Integer> placeholderEnds = new java.util.ArrayList<>();
        private boolean afterValues;
        private int valuesRows;
        private boolean selectOrConflict;
        /** True once a word of {@link #SESSION_WORDS} was seen. */
        private boolean namesSessionWord;
        /** True once the current statement has a token, so that "a; ; b" counts two. */
        private boolean statementHasToken;

        Scanner(String in) {
            this.in = in;
            this.out = new StringBuilder(in.length() + 16);
        }

        JdbcSql scan() {
            int n = in.length();
            while (pos < n) {
                char c = in.charAt(pos);
                if (c == '\'') {
                    token();
                    boolean backslashes = pos > 0 && (in.charAt(pos - 1) == 'E' || in.charAt(pos - 1) == 'e')
                            && (pos < 2 || !isIdentifierPart(in.charAt(pos - 2)));
                    copyQuoted('\'', backslashes);
                } else if (c == '"') {
                    token();
                    copyQuoted('"', false);
                } else if (c == '-' && next() == '-') {
                    copyLineComment();
                } else if (c == '/' && next() == '*') {
                    copyBlockComment();
                } else if (c == '$' && dollarTagEnd() > 0) {
                    token();
                    copyDollarQuoted(dollarTagEnd());
                } else if (c == '?' && placeholders) {
                    token();
                    if (next() == '?') {
                        out.append('?');
                        pos += 2;
                    } else {
                        out.append('$').append(++params);
                        placeholderEnds.add(out.length());
                        pos++;
                    }
                } else if (c == '{' && escapes && escape()) {
                    token();
                } else if (c == ';' && depth == 0) {
                    statementHasToken = false;
                    out.append(c);
                    pos++;
                } else if (Character.isLetter(c) || c == '_') {
                    word();
                } else {
                    if (c == '(') {
                        if (depth == 0 && afterValues) {
                            valuesRows++;
                        }
                        depth++;
                    } else if (c == ')' && depth > 0) {
                        depth--;
                    }
                    if (!Character.isWhitespace(c)) {
                        token();
                    }
                    out.append(c);
                    pos++;
                }
            }
            int[] ends = placeholderEnds.stream().mapToInt(Integer::intValue).toArray();
            boolean plainInsert = keyword.equals("INSERT") && statements == 1 && !selectOrConflict && valuesRows > 0;
            boolean sharedRead = statements == 1 && !namesSessionWord
                    && (keyword.equals("SELECT") || keyword.equals("VALUES") || keyword.equals("TABLE"));
            return new JdbcSql(out.toString(), params, keyword, mainKeyword.isEmpty() ? keyword : mainKeyword,
                    returning, statements, ends, plainInsert ? valuesRows : -1, sharedRead);
        }

        private char next() {
            return pos + 1 < in.length() ? in.charAt(pos + 1) : '\0';
        }

        /** Notes that the current statement has content; the first content starts a new statement. */
        private void token() {
            if (!statementHasToken) {
                statementHasToken = true;
                statements++;
            }
        }

        private void word() {
            int start = pos;
            while (pos < in.length() && isIdentifierPart(in.charAt(pos))) {
                pos++;
            }
            String w = in.substring(start, pos);
            out.append(w);
            boolean first = keyword.isEmpty() && statements <= 1;
            token();
            if (statements > 1) {
                return;
            }
            String upper = w.toUpperCase(Locale.ROOT);
            if (SESSION_WORDS.contains(upper)) {
                namesSessionWord = true;
            }
            if (first) {
                keyword = upper;
            } else if (depth == 0 && keyword.equals("WITH") && mainKeyword.isEmpty()) {
                switch (upper) {
                    case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE" -> mainKeyword = upper;
                    default -> { }
                }
            }
            if (depth == 0) {
                switch (upper) {
                    case "RETURNING" -> returning = true;
                    case "VALUES" -> afterValues = true;
                    case "SELECT", "CONFLICT", "DEFAULT" -> selectOrConflict = !first || selectOrConflict;
                    default -> { }
                }
            }
        }

        /** Copies a quoted literal or identifier, doubled quotes (and, for E'', backslashes) included. */
        private void copyQuoted(char quote, boolean backslashes) {
            int n = in.length();
            out.append(quote);
            pos++;
            while (pos < n) {
                char c = in.charAt(pos);
                out.append(c);
                pos++;
                if (backslashes && c == '\\' && pos < n) {
                    out.append(in.charAt(pos++));
                } else if (c == quote) {
                    if (pos < n && in.charAt(pos) == quote) {
                        out.append(quote);
                        pos++;
                    } else {
                        return;
                    }
                }
            }
        }

        private void copyLineComment() {
            int end = in.indexOf('\n', pos);
            end = end < 0 ? in.length() : end;
            out.append(in, pos, end);
            pos = end;
        }

        /** Block comments nest in PostgreSQL: {@code /* a /* b *\/ ? *\/} is one comment. */
        private void copyBlockComment() {
            int n = in.length();
            int nesting = 0;
            while (pos < n) {
                if (in.startsWith("/*", pos)) {
                    nesting++;
                    out.append("/*");
                    pos += 2;
                } else if (in.startsWith("*/", pos)) {
                    nesting--;
                    out.append("*/");
                    pos += 2;
                    if (nesting == 0) {
                        return;
                    }
                } else {
                    out.append(in.charAt(pos++));
                }
            }
        }

        /**
         * The index after the opening tag when a dollar quote starts here ({@code $$} or
         * {@code $tag$}), else -1. A {@code $} inside an identifier ({@code a$b}) or a positional
         * parameter ({@code $1}) starts none.
         */
        private int dollarTagEnd() {
            if (pos > 0 && isIdentifierPart(in.charAt(pos - 1))) {
                return -1;
            }
            int i = pos + 1;
            if (i < in.length() && Character.isDigit(in.charAt(i))) {
                return -1;
            }
            while (i < in.length() && in.charAt(i) != '$') {
                char c = in.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '_')) {
                    return -1;
                }
                i++;
            }
            return i < in.length() ? i + 1 : -1;
        }

        private void copyDollarQuoted(int tagEnd) {
            String tag = in.substring(pos, tagEnd);
            int close = in.indexOf(tag, tagEnd);
            int end = close < 0 ? in.length() : close + tag.length();
            out.append(in, pos, end);
            pos = end;
        }

        /**
         * Rewrites a JDBC escape at {@code pos} ({@code {d '...'}}, {@code {t '...'}},
         * {@code {ts '...'}}, {@code {fn f(...)}}, {@code {oj ...}}, {@code {escape '\'}}) to
         * plain SQL, dropping its braces; returns false (and copies nothing) when the brace starts
         * no escape it knows.
         */
        private boolean escape() {
            int i = pos + 1;
            while (i < in.length() && Character.isWhitespace(in.charAt(i))) {
                i++;
            }
            int wordEnd = i;
            while (wordEnd < in.length() && Character.isLetter(in.charAt(wordEnd))) {
                wordEnd++;
            }
            String replacement = switch (in.substring(i, wordEnd).toLowerCase(Locale.ROOT)) {
                case "d" -> "DATE";
                case "t" -> "TIME";
                case "ts" -> "TIMESTAMP";
                case "escape" -> "ESCAPE";
                case "fn", "oj" -> "";
                default -> null;
            };
            if (replacement == null) {
                return false;
            }
            int close = matchingBrace(wordEnd);
            if (close < 0) {
                return false;
            }
            Scanner inner = new Scanner(in.substring(wordEnd, close));
            inner.params = params;
            inner.placeholders = placeholders;
            String body = inner.scan().sql();
            params = inner.params;
            for (int end : inner.placeholderEnds) {
                placeholderEnds.add(out.length() + replacement.length() + end);
            }
            out.append(replacement).append(body);
            pos = close + 1;
            return true;
        }

        /** The index of the '}' closing the escape whose body starts at {@code from}, or -1. */
        private int matchingBrace(int from) {
            Scanner probe = new Scanner(in);
            probe.pos = from;
            int n = in.length();
            int nesting = 0;
            while (probe.pos < n) {
                char c = in.charAt(probe.pos);
                if (c == '\'' || c == '"') {
                    probe.copyQuoted(c, false);
                } else if (c == '{') {
                    nesting++;
                    probe.pos++;
                } else if (c == '}') {
                    if (nesting-- == 0) {
                        return probe.pos;
                    }
                    probe.pos++;
                } else {
                    probe.pos++;
                }
            }
            return -1;
        }

        private static boolean isIdentifierPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }
}
