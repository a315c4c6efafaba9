package io.pgloom;

/**
 * A PostgreSQL {@code line}: the infinite line {@code a·x + b·y + c = 0}, printed {@code {a,b,c}}.
 *
 * <pre>{@code
 * PgLine horizontal = new PgLine(0, 1, -3);   // y = 3
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record PgLine(double a, double b, double c) {

    @Override
    public String toString() {
        return "{" + a + "," + b + "," + c + "}";
    }
}
