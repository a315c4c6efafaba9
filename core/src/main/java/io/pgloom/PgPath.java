package io.pgloom;

import java.util.List;

/**
 * A PostgreSQL {@code path}: points joined in order, open ({@code [(0,0),(1,1)]}) or closed into
 * a loop ({@code ((0,0),(1,1),(1,0))}).
 *
 * <pre>{@code
 * PgPath route = new PgPath(List.of(new PgPoint(0, 0), new PgPoint(5, 5)), false);
 * }</pre>
 *
 * <p>Immutable and thread-safe: the list is copied.
 */
public record PgPath(List<PgPoint> points, boolean closed) {

    public PgPath {
        points = List.copyOf(points);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(closed ? "(" : "[");
        for (int i = 0; i < points.size(); i++) {
            b.append(i == 0 ? "" : ",").append(points.get(i));
        }
        return b.append(closed ? ")" : "]").toString();
    }
}
