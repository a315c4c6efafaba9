package io.pgloom;

import java.util.List;

/**
 * A PostgreSQL {@code polygon}: its vertices in order, {@code ((0,0),(1,0),(0,1))}.
 *
 * <pre>{@code
 * PgPolygon triangle = new PgPolygon(List.of(new PgPoint(0, 0), new PgPoint(1, 0), new PgPoint(0, 1)));
 * }</pre>
 *
 * <p>Immutable and thread-safe: the list is copied.
 */
public record PgPolygon(List<PgPoint> points) {

    public PgPolygon {
        points = List.copyOf(points);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < points.size(); i++) {
            b.append(i == 0 ? "" : ",").append(points.get(i));
        }
        return b.append(")").toString();
    }
}
