package io.pgloom;

/**
 * A PostgreSQL {@code point}: {@code (x,y)}.
 *
 * <pre>{@code
 * PgPoint p = row.get("location", PgPoint.class);
 * conn.execute("INSERT INTO shops(location) VALUES ($1)", new PgPoint(2.5, 48.8));
 * }</pre>
 *
 * <p>Immutable and thread-safe. Coordinates compare as Java doubles (so {@code -0.0 != 0.0}).
 */
public record PgPoint(double x, double y) {

    /** {@code (x,y)}, PostgreSQL's form. */
    @Override
    public String toString() {
        return "(" + x + "," + y + ")";
    }
}
