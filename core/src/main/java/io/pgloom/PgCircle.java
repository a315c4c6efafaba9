package io.pgloom;

/**
 * A PostgreSQL {@code circle}: a center and a radius, {@code <(x,y),r>}.
 *
 * <pre>{@code
 * PgCircle c = new PgCircle(new PgPoint(0, 0), 10);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record PgCircle(PgPoint center, double radius) {

    public PgCircle {
        java.util.Objects.requireNonNull(center, "center");
    }

    @Override
    public String toString() {
        return "<" + center + "," + radius + ">";
    }
}
