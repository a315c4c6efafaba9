package io.pgloom;

import java.util.Objects;

/**
 * A PostgreSQL range value ({@code int4range}, {@code tstzrange}, a user's range type): empty,
 * or the values between a lower and an upper bound, each inclusive, exclusive or absent
 * (unbounded).
 *
 * <pre>{@code
 * PgRange<Integer> r = PgRange.closedOpen(1, 10);                        // [1,10)
 * conn.fetchVal(Boolean.class, "SELECT $1::int4range @> 5", r);          // true
 * PgRange<LocalDate> stay = row.get("stay", PgRange.class);
 * if (!stay.isEmpty() && stay.upper() == null) { ... }                   // open-ended
 * }</pre>
 *
 * <p>Bounds are in their type's default Java type ({@code Integer}, {@code LocalDate},
 * {@code OffsetDateTime}, ...). The server normalizes discrete ranges ({@code [1,5]} comes
 * back as {@code [1,6)}), and an absent bound is never inclusive. Immutable and thread-safe if
 * its bounds are.
 *
 * @param <T> the bounds' Java type
 */
public final class PgRange<T> {

    private static final PgRange<?> EMPTY = new PgRange<>(null, false, null, false, true);

    private final T lower;
    private final boolean lowerInclusive;
    private final T upper;
    private final boolean upperInclusive;
    private final boolean empty;

    private PgRange(T lower, boolean lowerInclusive, T upper, boolean upperInclusive, boolean empty) {
        this.lower = lower;
        this.lowerInclusive = lower != null && lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upper != null && upperInclusive;
        this.empty = empty;
    }

    /** The empty range. */
    @SuppressWarnings("unchecked")
    public static <T> PgRange<T> empty() {
        return (PgRange<T>) EMPTY;
    }

    /** A range between two bounds; a null bound is unbounded (and then never inclusive). */
    public static <T> PgRange<T> of(T lower, boolean lowerInclusive, T upper, boolean upperInclusive) {
        return new PgRange<>(lower, lowerInclusive, upper, upperInclusive, false);
    }

    /** {@code [lower,upper)}, the form PostgreSQL gives discrete ranges. */
    public static <T> PgRange<T> closedOpen(T lower, T upper) {
        return of(lower, true, upper, false);
    }

    /** {@code [lower,upper]}. */
    public static <T> PgRange<T> closed(T lower, T upper) {
        return of(lower, true, upper, true);
    }

    /** True for the empty range, which has no bounds. */
    public boolean isEmpty() {
        return empty;
    }

    /** The lower bound, or null when unbounded below (or empty). */
    public T lower() {
        return lower;
    }

    /** The upper bound, or null when unbounded above (or empty). */
    public T upper() {
        return upper;
    }

    public boolean lowerInclusive() {
        return lowerInclusive;
    }

    public boolean upperInclusive() {
        return upperInclusive;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgRange<?> r && r.empty == empty && r.lowerInclusive == lowerInclusive
                && r.upperInclusive == upperInclusive && Objects.equals(r.lower, lower) && Objects.equals(r.upper, upper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lower, upper, lowerInclusive, upperInclusive, empty);
    }

    /** PostgreSQL-like form with Java's {@code toString} of the bounds: {@code [1,10)}, {@code empty}. */
    @Override
    public String toString() {
        if (empty) {
            return "empty";
        }
        return (lowerInclusive ? "[" : "(") + (lower == null ? "" : lower) + "," + (upper == null ? "" : upper)
                + (upperInclusive ? "]" : ")");
    }
}
