package io.pgloom;

import java.time.Duration;
import java.time.Period;

/**
 * A PostgreSQL {@code interval}: months, days and microseconds, kept apart as the server keeps
 * them, because a month is not a fixed number of days nor a day a fixed number of hours (across
 * a daylight-saving change {@code '1 day'} and {@code '24 hours'} differ).
 *
 * <pre>{@code
 * PgInterval i = row.get("elapsed", PgInterval.class);   // e.g. 1 mon 2 days 03:00:00
 * conn.execute("UPDATE jobs SET timeout = $1", PgInterval.of(Duration.ofMinutes(5)));
 * Duration d = PgInterval.of(Duration.ofHours(3)).toDuration();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Equality is field by field, as PostgreSQL's {@code =} is not:
 * the server thinks {@code '1 day' = '24 hours'}, this record does not.
 *
 * @param months whole months (a year is 12)
 * @param days whole days
 * @param microseconds the time part, in microseconds
 */
public record PgInterval(int months, int days, long microseconds) {

    /** The zero interval. */
    public static final PgInterval ZERO = new PgInterval(0, 0, 0);

    /** An interval of the given duration, as microseconds only; sub-microsecond nanos are rounded. */
    public static PgInterval of(Duration duration) {
        long micros = Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L),
                (duration.getNano() + 500) / 1000);
        return new PgInterval(0, 0, micros);
    }

    /** An interval of the given period: years and months as months, days as days. */
    public static PgInterval of(Period period) {
        return new PgInterval(Math.toIntExact(period.toTotalMonths()), period.getDays(), 0);
    }

    /**
     * This interval as a {@code Duration}, counting a day as 24 hours.
     *
     * @throws PgException when it has months, whose length in days is not fixed
     */
    public Duration toDuration() {
        if (months != 0) {
            throw new PgException("interval " + this + " has months, which have no fixed length: read it as PgInterval or Period");
        }
        return Duration.ofDays(days).plus(Duration.of(microseconds, java.time.temporal.ChronoUnit.MICROS));
    }

    /**
     * This interval as a {@code Period} of years, months and days.
     *
     * @throws PgException when it has a time part
     */
    public Period toPeriod() {
        if (microseconds != 0) {
            throw new PgException("interval " + this + " has a time part, which a Period cannot hold: read it as PgInterval or Duration");
        }
        return Period.of(months / 12, months % 12, days);
    }

    /** ISO 8601 form with PostgreSQL's three parts, such as {@code P1Y2M3DT4H5M6.5S}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("P");
        if (months / 12 != 0) {
            b.append(months / 12).append('Y');
        }
        if (months % 12 != 0) {
            b.append(months % 12).append('M');
        }
        if (days != 0) {
            b.append(days).append('D');
        }
        if (microseconds != 0) {
            b.append('T').append(Duration.of(microseconds, java.time.temporal.ChronoUnit.MICROS).toString().substring(2));
        }
        return b.length() == 1 ? "PT0S" : b.toString();
    }
}
