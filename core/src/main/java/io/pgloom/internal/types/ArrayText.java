package io.pgloom.internal.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads PostgreSQL's text form of arrays: {@code {1,2,NULL}}, {@code {{"a b","c\"d"},{e,f}}},
 * {@code [0:1]={x,y}} (the bounds are dropped, as {@link ArrayCodec} documents). One instance
 * parses one string.
 */
final class ArrayText {

    private final String text;
    private final char delimiter;
    private final Codec element;
    private int at;

    ArrayText(String text, char delimiter, Codec element) {
        this.text = text;
        this.delimiter = delimiter;
        this.element = element;
    }

    Object parse() {
        try {
            if (text.startsWith("[")) {
                at = text.indexOf('=') + 1; // skip "[lo:hi][lo:hi]="
            }
            List<Object> result = parseArray();
            skipSpace();
            if (at != text.length()) {
                throw new IllegalArgumentException("text after the array");
            }
            return result;
        } catch (ValueException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ValueException.malformed("array '" + abbreviate(text) + "'");
        }
    }

    private List<Object> parseArray() {
        skipSpace();
        expect('{');
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (text.charAt(at) == '}') {
            at++;
            return List.of();
        }
        while (true) {
            skipSpace();
            char c = text.charAt(at);
            if (c == '{') {
                items.add(parseArray());
            } else if (c == '"') {
                items.add(element.decodeText(quoted()));
            } else {
                String raw = unquoted();
                items.add(raw.equalsIgnoreCase("NULL") ? null : element.decodeText(raw));
            }
            skipSpace();
            char next = text.charAt(at++);
            if (next == '}') {
                return Collections.unmodifiableList(items);
            }
            if (next != delimiter) {
                throw new IllegalArgumentException("expected '" + delimiter + "'");
            }
        }
    }

    private String quoted() {
        StringBuilder b = new StringBuilder();
        at++;
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                c = text.charAt(at++);
            }
            b.append(c);
        }
    }

    private String unquoted() {
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = text.charAt(at);
            if (c == delimiter || c == '}') {
                break;
            }
            at++;
            if (c == '\\') {
                c = text.charAt(at++);
            }
            b.append(c);
        }
        return b.toString().strip();
    }

    private void expect(char c) {
        if (text.charAt(at++) != c) {
            throw new IllegalArgumentException("expected '" + c + "'");
        }
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    /** Appends an element's text, quoted when PostgreSQL's parser would otherwise misread it. */
    static void appendQuoted(StringBuilder b, String text, char delimiter) {
        boolean quote = text.isEmpty() || text.equalsIgnoreCase("NULL");
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == delimiter || c == '{' || c == '}' || c == '"' || c == '\\' || Character.isWhitespace(c);
        }
        if (!quote) {
            b.append(text);
            return;
        }
        b.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
