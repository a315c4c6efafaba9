package io.pgloom.internal.client;

import io.pgloom.PgException;

import java.util.EnumMap;
import java.util.Map;

/**
 * Reads a libpq conninfo string: {@code host=localhost port=5432 password='it''s \' quoted'}.
 *
 * <p>As in libpq: pairs are separated by whitespace; whitespace may surround {@code =}; a
 * value is either unquoted (ending at whitespace) or in single quotes; a backslash takes the
 * next character literally in both forms; a later key overrides an earlier one; an empty
 * value means "not set". Keywords are case-sensitive.
 *
 * <p>One addition: inside quotes, {@code ''} stands for one quote, as in SQL. libpq rejects
 * every string in which a closing quote is directly followed by another quote (it would start
 * a keyword with a quote), so this accepts more strings without changing any that libpq
 * accepts.
 */
final class ConnInfoString {

    private ConnInfoString() {
    }

    /**
     * Splits {@code text} into option values, not yet validated.
     *
     * @throws PgException naming the key at fault: a missing {@code =}, an unterminated quote,
     *         an unknown key
     */
    static Map<ConnInfoOption, String> parse(String text) {
        Map<ConnInfoOption, String> values = new EnumMap<>(ConnInfoOption.class);
        int n = text.length();
        int i = skipSpace(text, 0);
        ConnInfoOption unquotedSecret = null; // the previous option, if it was a password without quotes
        while (i < n) {
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !isSpace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i);
            i = skipSpace(text, i);
            boolean keyFollows = i < n && text.charAt(i) == '=' && ConnInfoOption.find(key) != null;
            if (unquotedSecret != null && !keyFollows) {
                // Most likely the rest of a password holding a space: never echo it.
                throw new PgException("invalid connection string: unexpected text after the value of \""
                        + unquotedSecret.keyword() + "\"; put a value holding spaces in quotes: "
                        + unquotedSecret.keyword() + "='...'");
            }
            if (i >= n || text.charAt(i) != '=') {
                throw new PgException("invalid connection string: missing \"=\" after \"" + key
                        + "\"; write key=value pairs separated by spaces, or a postgresql:// URI");
            }
            ConnInfoOption option = ConnInfoOption.forKeyword(key, "connection option");
            i = skipSpace(text, i + 1);

            StringBuilder value = new StringBuilder();
            unquotedSecret = null;
            if (i < n && text.charAt(i) == '\'') {
                i = readQuoted(text, i + 1, value, key);
            } else {
                unquotedSecret = option.secret() ? option : null;
                while (i < n && !isSpace(text.charAt(i))) {
                    char c = text.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        c = text.charAt(++i);
                    }
                    value.append(c);
                    i++;
                }
            }
            if (value.isEmpty()) {
                values.remove(option);
            } else {
                values.put(option, value.toString());
            }
            i = skipSpace(text, i);
        }
        return values;
    }

    /** Reads a quoted value starting after its opening quote; returns the index after the closing one. */
    private static int readQuoted(String text, int i, StringBuilder value, String key) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    break;
                }
                value.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && text.charAt(i + 1) == '\'') {
                    value.append('\'');
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                value.append(c);
                i++;
            }
        }
        throw new PgException("invalid connection string: the quoted value of \"" + key
                + "\" has no closing quote; end it with ' and write a quote inside as \\' or ''");
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** C's isspace in the "C" locale, which is what libpq tests. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }
}
