package io.pgloom.internal.types;

import io.pgloom.PgInterval;
import io.pgloom.internal.io.WriteBuffer;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * date, time, timetz, timestamp, timestamptz and interval.
 *
 * <p>The binary forms count from PostgreSQL's epoch, 2000-01-01: days for date, microseconds
 * for the rest. timestamptz decodes to an {@code OffsetDateTime} in UTC.
 *
 * <p><b>Infinities</b>, one mapping for every date type: {@code infinity} and
 * {@code -infinity} decode to {@code LocalDate.MAX}/{@code MIN}, {@code LocalDateTime.MAX}/
 * {@code MIN} and {@code OffsetDateTime.MAX}/{@code MIN}, and those values (plus
 * {@code Instant.MAX}/{@code MIN} for timestamptz) encode back to the infinities. Any other
 * value outside the server's range (4713 BC to 294276 AD for timestamps) is refused.
 *
 * <p><b>Precision</b>: PostgreSQL keeps microseconds; nanoseconds are rounded to the nearest
 * microsecond, as the server rounds text input. time {@code 24:00:00}, which LocalTime cannot
 * hold, decodes to {@code LocalTime.MAX} and {@code LocalTime.MAX} encodes as 24:00:00.
 */
final class DateTimeCodecs {

    private DateTimeCodecs() {
    }

    /** Days from 1970-01-01 to 2000-01-01. */
    static final long EPOCH_DAY_2000 = 10_957;
    /** Seconds from 1970-01-01 to 2000-01-01. */
    static final long EPOCH_SECOND_2000 = EPOCH_DAY_2000 * 86_400;
    static final long MICROS_PER_DAY = 86_400_000_000L;

    /** PostgreSQL's limits: julian day 0 (4714-11-24 BC) and the last day its timestamps hold. */
    private static final LocalDate MIN_TIMESTAMP_DATE = LocalDate.of(-4713, 11, 24);
    private static final LocalDateTime END_OF_TIMESTAMPS = LocalDateTime.of(294277, 1, 1, 0, 0);
    private static final LocalDate END_OF_DATES = LocalDate.of(5874898, 1, 1);

    static final Codec DATE = new Base("LocalDate") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 4, "date");
            int days = Bytes.int32(buf, offset);
            if (days == Integer.MAX_VALUE) {
                return LocalDate.MAX;
            }
            if (days == Integer.MIN_VALUE) {
                return LocalDate.MIN;
            }
            return LocalDate.ofEpochDay(days + EPOCH_DAY_2000);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeInt(days(value));
        }

        public Object decodeText(String text) {
            return DateTimeText.parseDate(text);
        }

        public String encodeText(Object value) {
            days(value);
            return DateTimeText.formatDate((LocalDate) value);
        }

        private int days(Object value) {
            if (!(value instanceof LocalDate d)) {
                throw ValueException.unsupported();
            }
            if (d.equals(LocalDate.MAX)) {
                return Integer.MAX_VALUE;
            }
            if (d.equals(LocalDate.MIN)) {
                return Integer.MIN_VALUE;
            }
            if (d.isBefore(MIN_TIMESTAMP_DATE) || !d.isBefore(END_OF_DATES)) {
                throw new ValueException("out of date's range 4714-11-24 BC to 5874897-12-31 (LocalDate.MAX/MIN mean ±infinity)");
            }
            return (int) (d.toEpochDay() - EPOCH_DAY_2000);
        }
    };

    static final Codec TIME = new Base("LocalTime") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "time");
            return time(Bytes.int64(buf, offset));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            if (!(value instanceof LocalTime t)) {
                throw ValueException.unsupported();
            }
            out.writeLong(micros(t));
        }

        public Object decodeText(String text) {
            return DateTimeText.parseTime(text);
        }

        public String encodeText(Object value) {
            if (!(value instanceof LocalTime t)) {
                throw ValueException.unsupported();
            }
            return DateTimeText.formatMicrosOfDay(micros(t));
        }
    };

    static final Codec TIMETZ = new Base("OffsetTime") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 12, "timetz");
            LocalTime t = time(Bytes.int64(buf, offset));
            // The zone is stored in seconds west of Greenwich, the opposite sign of ISO offsets.
            return OffsetTime.of(t, ZoneOffset.ofTotalSeconds(-Bytes.int32(buf, offset + 8)));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            if (!(value instanceof OffsetTime t)) {
                throw ValueException.unsupported();
            }
            out.writeLong(micros(t.toLocalTime()));
            out.writeInt(-t.getOffset().getTotalSeconds());
        }

        public Object decodeText(String text) {
            return DateTimeText.parseTimeTz(text);
        }

        public String encodeText(Object value) {
            if (!(value instanceof OffsetTime t)) {
                throw ValueException.unsupported();
            }
            return DateTimeText.formatMicrosOfDay(micros(t.toLocalTime())) + DateTimeText.formatOffset(t.getOffset());
        }
    };

    static final Codec TIMESTAMP = new Base("LocalDateTime, or LocalDate (as its midnight)") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "timestamp");
            long micros = Bytes.int64(buf, offset);
            if (micros == Long.MAX_VALUE) {
                return LocalDateTime.MAX;
            }
            if (micros == Long.MIN_VALUE) {
                return LocalDateTime.MIN;
            }
            return localDateTime(micros);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeLong(micros(value));
        }

        public Object decodeText(String text) {
            return DateTimeText.parseTimestamp(text);
        }

        public String encodeText(Object value) {
            long micros = micros(value);
            if (micros == Long.MAX_VALUE) {
                return "infinity";
            }
            if (micros == Long.MIN_VALUE) {
                return "-infinity";
            }
            return DateTimeText.formatTimestamp(localDateTime(micros), null);
        }

        private long micros(Object value) {
            LocalDateTime t;
            if (value instanceof LocalDateTime ldt) {
                t = ldt;
            } else if (value instanceof LocalDate d) {
                t = d.equals(LocalDate.MAX) ? LocalDateTime.MAX : d.equals(LocalDate.MIN) ? LocalDateTime.MIN : d.atStartOfDay();
            } else {
                throw ValueException.unsupported();
            }
            if (t.equals(LocalDateTime.MAX)) {
                return Long.MAX_VALUE;
            }
            if (t.equals(LocalDateTime.MIN)) {
                return Long.MIN_VALUE;
            }
            checkRange(t);
            return toMicros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
        }
    };

    static final Codec TIMESTAMPTZ = new Base("OffsetDateTime, Instant or ZonedDateTime") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 8, "timestamptz");
            long micros = Bytes.int64(buf, offset);
            if (micros == Long.MAX_VALUE) {
                return OffsetDateTime.MAX;
            }
            if (micros == Long.MIN_VALUE) {
                return OffsetDateTime.MIN;
            }
            return OffsetDateTime.of(localDateTime(micros), ZoneOffset.UTC);
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            out.writeLong(micros(value));
        }

        public Object decodeText(String text) {
            return DateTimeText.parseTimestampTz(text);
        }

        public String encodeText(Object value) {
            long micros = micros(value);
            if (micros == Long.MAX_VALUE) {
                return "infinity";
            }
            if (micros == Long.MIN_VALUE) {
                return "-infinity";
            }
            return DateTimeText.formatTimestamp(localDateTime(micros), ZoneOffset.UTC);
        }

        private long micros(Object value) {
            Instant instant;
            if (value instanceof OffsetDateTime odt) {
                if (odt.equals(OffsetDateTime.MAX)) {
                    return Long.MAX_VALUE;
                }
                if (odt.equals(OffsetDateTime.MIN)) {
                    return Long.MIN_VALUE;
                }
                instant = odt.toInstant();
            } else if (value instanceof Instant i) {
                if (i.equals(Instant.MAX)) {
                    return Long.MAX_VALUE;
                }
                if (i.equals(Instant.MIN)) {
                    return Long.MIN_VALUE;
                }
                instant = i;
            } else if (value instanceof ZonedDateTime zdt) {
                instant = zdt.toInstant();
            } else {
                throw ValueException.unsupported();
            }
            checkRange(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC));
            return toMicros(instant.getEpochSecond(), instant.getNano());
        }
    };

    static final Codec INTERVAL = new Base("PgInterval, Duration or Period") {
        public Object decodeBinary(byte[] buf, int offset, int length) {
            Bytes.requireLength(length, 16, "interval");
            return new PgInterval(Bytes.int32(buf, offset + 12), Bytes.int32(buf, offset + 8), Bytes.int64(buf, offset));
        }

        public void encodeBinary(Object value, WriteBuffer out) {
            PgInterval i = interval(value);
            out.writeLong(i.microseconds());
            out.writeInt(i.days());
            out.writeInt(i.months());
        }

        public Object decodeText(String text) {
            return IntervalText.parse(text);
        }

        public String encodeText(Object value) {
            return IntervalText.format(interval(value));
        }

        private PgInterval interval(Object value) {
            try {
                if (value instanceof PgInterval i) {
                    return i;
                }
                if (value instanceof Duration d) {
                    return PgInterval.of(d);
                }
                if (value instanceof Period p) {
                    return PgInterval.of(p);
                }
            } catch (ArithmeticException e) {
                throw new ValueException("out of interval's range");
            }
            throw ValueException.unsupported();
        }
    };

    static LocalTime time(long micros) {
        if (micros == MICROS_PER_DAY) {
            return LocalTime.MAX;
        }
        if (micros < 0 || micros > MICROS_PER_DAY) {
            throw ValueException.malformed("time: " + micros + " microseconds");
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }

    static long micros(LocalTime t) {
        if (t.equals(LocalTime.MAX)) {
            return MICROS_PER_DAY;
        }
        return (t.toNanoOfDay() + 500) / 1000;
    }

    static LocalDateTime localDateTime(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L) + EPOCH_SECOND_2000;
        long nanoOfDay = Math.floorMod(seconds, 86_400L) * 1_000_000_000L + Math.floorMod(micros, 1_000_000L) * 1000;
        long epochDay = Math.floorDiv(seconds, 86_400L);
        Day day = lastDay;
        if (day.epochDay != epochDay) {
            day = new Day(epochDay, LocalDate.ofEpochDay(epochDay));
            lastDay = day;
        }
        return LocalDateTime.of(day.date, LocalTime.ofNanoOfDay(nanoOfDay));
    }

    /** A day and its date: turning an epoch day into year, month and day is most of a timestamp's decoding. */
    private record Day(long epochDay, LocalDate date) {
    }

    /**
     * The day of the last timestamp decoded, by any thread: the rows of a result often fall on
     * one day. Unsynchronized on purpose; a {@link Day} is immutable, so a thread sees either
     * a whole one or an older one, and a miss only computes the date again.
     */
    private static Day lastDay = new Day(0, LocalDate.EPOCH);

    /** Microseconds since 2000-01-01 of an epoch second and nano, nanos rounded half up. */
    static long toMicros(long epochSecond, int nano) {
        return (epochSecond - EPOCH_SECOND_2000) * 1_000_000L + (nano + 500) / 1000;
    }

    private static void checkRange(LocalDateTime t) {
        if (t.toLocalDate().isBefore(MIN_TIMESTAMP_DATE) || !t.isBefore(END_OF_TIMESTAMPS)) {
            throw new ValueException("out of the timestamp range 4714-11-24 BC to 294276-12-31 (the MAX/MIN values of "
                    + "LocalDateTime, OffsetDateTime and Instant mean ±infinity)");
        }
    }

    /** Every date/time codec has a binary form; this holds what they share. */
    private abstract static class Base implements Codec {
        private final String accepts;

        Base(String accepts) {
            this.accepts = accepts;
        }

        public boolean binary() {
            return true;
        }

        public String accepts() {
            return accepts;
        }
    }
}
