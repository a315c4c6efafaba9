package io.pgloom;

import java.util.List;

/**
 * A PostgreSQL multirange value (PostgreSQL 14+: {@code int4multirange}, {@code datemultirange},
 * ...): an ordered list of non-overlapping, non-adjacent ranges, {@code {[1,3), [5,7)}}.
 *
 * <pre>{@code
 * PgMultirange<Integer> m = new PgMultirange<>(List.of(PgRange.closedOpen(1, 3), PgRange.closedOpen(5, 7)));
 * conn.fetchVal(Boolean.class, "SELECT $1::int4multirange @> 6", m);     // true
 * }</pre>
 *
 * <p>The server sorts and merges the ranges it is given. Immutable and thread-safe if its
 * bounds are: the list is copied.
 *
 * @param ranges the ranges, in order
 * @param <T> the bounds' Java type
 */
public record PgMultirange<T>(List<PgRange<T>> ranges) {

    public PgMultirange {
        ranges = List.copyOf(ranges);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < ranges.size(); i++) {
            b.append(i == 0 ? "" : ",").append(ranges.get(i));
        }
        return b.append('}').toString();
    }
}
