package io.pgloom;

/**
 * A PostgreSQL {@code box}: an axis-aligned rectangle given by two opposite corners. The server
 * stores the upper-right corner first and the lower-left second, whatever order they came in,
 * so a box read back has {@code high.x >= low.x} and {@code high.y >= low.y}.
 *
 * <pre>{@code
 * PgBox b = new PgBox(new PgPoint(3, 4), new PgPoint(1, 2));  // (3,4),(1,2)
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record PgBox(PgPoint high, PgPoint low) {

    public PgBox {
        java.util.Objects.requireNonNull(high, "high");
        java.util.Objects.requireNonNull(low, "low");
    }

    @Override
    public String toString() {
        return high + "," + low;
    }
}
