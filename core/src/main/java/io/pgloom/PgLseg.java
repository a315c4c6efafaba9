package io.pgloom;

/**
 * A PostgreSQL {@code lseg}: the line segment between two points, {@code [(x1,y1),(x2,y2)]}.
 *
 * <pre>{@code
 * PgLseg edge = new PgLseg(new PgPoint(0, 0), new PgPoint(1, 1));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record PgLseg(PgPoint start, PgPoint end) {

    public PgLseg {
        java.util.Objects.requireNonNull(start, "start");
        java.util.Objects.requireNonNull(end, "end");
    }

    @Override
    public String toString() {
        return "[" + start + "," + end + "]";
    }
}
