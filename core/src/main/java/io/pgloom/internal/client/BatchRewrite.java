package io.pgloom.internal.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a batch of single-row inserts into multi-row ones: {@code INSERT INTO t (a, b) VALUES
 * ($1, $2)} run for 10,000 argument lists becomes {@code VALUES ($1, $2), ($3, $4), ...} with up
 * to {@link #MAX_ROWS} rows a statement, still pipelined under one Sync. The server then plans
 * and starts its executor once per statement instead of once per row, which is where a batch of
 * small inserts spends its time.
 *
 * <p>Only the plainest form is rewritten, recognized without a SQL parser: {@code INSERT INTO}, a
 * table name without spaces or parentheses, an optional column list without parentheses, and a
 * {@code VALUES} list of exactly {@code $1 .. $n} in order, nothing after it (no RETURNING, no ON
 * CONFLICT, no comments). Anything else runs as it is written. The result is the same rows in
 * the same order, firing the same row triggers; only the statement count differs.
 */
final class BatchRewrite {

    /** Rows per rewritten statement: large enough to amortize, small enough for the plan cache. */
    static final int MAX_ROWS = 128;

    /** The protocol counts parameters in an Int16. */
    private static final int MAX_PARAMETERS = 32767;

    private static final Pattern PLAIN_INSERT = Pattern.compile(
            "(?is)\\s*(INSERT\\s+INTO\\s+[^\\s()]+(?:\\s*\\([^()$;'\"-]*\\))?\\s+VALUES)\\s*\\(([^()]*)\\)\\s*;?\\s*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\s*\\$(\\d+)\\s*");

    private final String head;
    private final int columns;

    private BatchRewrite(String head, int columns) {
        this.head = head;
        this.columns = columns;
    }

    /** The rewrite for {@code sql}, or null when it is not a plain single-row insert. */
    static BatchRewrite of(String sql) {
        Matcher m = PLAIN_INSERT.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        String[] values = m.group(2).split(",", -1);
        for (int i = 0; i < values.length; i++) {
            Matcher p = PLACEHOLDER.matcher(values[i]);
            if (!p.matches() || !p.group(1).equals(String.valueOf(i + 1))) {
                return null;
            }
        }
        return new BatchRewrite(m.group(1), values.length);
    }

    int columns() {
        return columns;
    }

    /** Rows per statement for this insert: {@link #MAX_ROWS}, fewer when the columns are many. */
    int rowsPerStatement() {
        return Math.max(1, Math.min(MAX_ROWS, MAX_PARAMETERS / columns));
    }

    /** The insert of {@code rows} rows, with parameters $1 .. $(rows * columns). */
    String sql(int rows) {
        StringBuilder b = new StringBuilder(head.length() + rows * columns * 5);
        b.append(head).append(' ');
        int p = 1;
        for (int r = 0; r < rows; r++) {
            b.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    b.append(", ");
                }
                b.append('$').append(p++);
            }
            b.append(')');
        }
        return b.toString();
    }
}
