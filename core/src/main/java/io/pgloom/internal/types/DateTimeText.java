package io.pgloom.internal.types;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * PostgreSQL's ISO text forms of dates and times (DateStyle ISO, which the connection sets):
 * {@code 2024-01-15}, {@code 13:45:00.5}, {@code 2024-01-15 13:45:00+05:30},
 * {@code 0044-03-15 BC}, {@code infinity}.
 */
final class DateTimeText {

    private DateTimeText() {
    }

    static LocalDate parseDate(String text) {
        switch (text) {
            case "infinity":
                return LocalDate.MAX;
            case "-infinity":
                return LocalDate.MIN;
            default:
                break;
        }
        boolean bc = text.endsWith(" BC");
        String s = bc ? text.substring(0, text.length() - 3) : text;
        try {
            int dash2 = s.lastIndexOf('-');
            int dash1 = s.lastIndexOf('-', dash2 - 1);
            int year = Integer.parseInt(s, 0, dash1, 10);
            int month = Integer.parseInt(s, dash1 + 1, dash2, 10);
            int day = Integer.parseInt(s, dash2 + 1, s.length(), 10);
            return LocalDate.of(bc ? 1 - year : year, month, day);
        } catch (RuntimeException e) {
            throw ValueException.malformed("date '" + text + "'");
        }
    }

    static LocalTime parseTime(String text) {
        try {
            return parseClock(text, 0, text.length());
        } catch (RuntimeException e) {
            throw ValueException.malformed("time '" + text + "'");
        }
    }

    static OffsetTime parseTimeTz(String text) {
        try {
            int sign = offsetStart(text, 0);
            return OffsetTime.of(parseClock(text, 0, sign), parseOffset(text, sign, text.length()));
        } catch (RuntimeException e) {
            throw ValueException.malformed("timetz '" + text + "'");
        }
    }

    static LocalDateTime parseTimestamp(String text) {
        switch (text) {
            case "infinity":
                return LocalDateTime.MAX;
            case "-infinity":
                return LocalDateTime.MIN;
            default:
                break;
        }
        try {
            boolean bc = text.endsWith(" BC");
            int end = bc ? text.length() - 3 : text.length();
            int space = text.indexOf(' ');
            LocalDate date = parseDate(text.substring(0, space) + (bc ? " BC" : ""));
            return LocalDateTime.of(date, parseClock(text, space + 1, end));
        } catch (RuntimeException e) {
            throw ValueException.malformed("timestamp '" + text + "'");
        }
    }

    /** A timestamptz in the session's zone, as the instant it denotes in UTC. */
    static OffsetDateTime parseTimestampTz(String text) {
        switch (text) {
            case "infinity":
                return OffsetDateTime.MAX;
            case "-infinity":
                return OffsetDateTime.MIN;
            default:
                break;
        }
        try {
            boolean bc = text.endsWith(" BC");
            int end = bc ? text.length() - 3 : text.length();
            int space = text.indexOf(' ');
            LocalDate date = parseDate(text.substring(0, space) + (bc ? " BC" : ""));
            int sign = offsetStart(text, space + 1);
            LocalTime time = parseClock(text, space + 1, sign);
            ZoneOffset offset = parseOffset(text, sign, end);
            return OffsetDateTime.of(date, time, offset).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw ValueException.malformed("timestamptz '" + text + "'");
        }
    }

    static String formatDate(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return "infinity";
        }
        if (d.equals(LocalDate.MIN)) {
            return "-infinity";
        }
        StringBuilder b = new StringBuilder(16);
        appendDate(b, d);
        if (d.getYear() <= 0) {
            b.append(" BC");
        }
        return b.toString();
    }

    /** {@code HH:MM:SS} with the fraction's trailing zeros dropped, as PostgreSQL prints it. */
    static String formatMicrosOfDay(long micros) {
        StringBuilder b = new StringBuilder(15);
        appendClock(b, micros);
        return b.toString();
    }

    static String formatOffset(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        int abs = Math.abs(total);
        StringBuilder b = new StringBuilder(9).append(total < 0 ? '-' : '+');
        two(b, abs / 3600);
        if (abs % 3600 != 0) {
            two(b.append(':'), abs / 60 % 60);
            if (abs % 60 != 0) {
                two(b.append(':'), abs % 60);
            }
        }
        return b.toString();
    }

    /** A timestamp, with its offset when one is given. */
    static String formatTimestamp(LocalDateTime t, ZoneOffset offset) {
        StringBuilder b = new StringBuilder(32);
        appendDate(b, t.toLocalDate());
        b.append(' ');
        appendClock(b, t.toLocalTime().toNanoOfDay() / 1000);
        if (offset != null) {
            b.append(formatOffset(offset));
        }
        if (t.getYear() <= 0) {
            b.append(" BC");
        }
        return b.toString();
    }

    private static void appendDate(StringBuilder b, LocalDate d) {
        int year = d.getYear() <= 0 ? 1 - d.getYear() : d.getYear();
        String y = Integer.toString(year);
        b.append("0000", 0, Math.max(0, 4 - y.length())).append(y).append('-');
        two(b, d.getMonthValue());
        two(b.append('-'), d.getDayOfMonth());
    }

    private static void appendClock(StringBuilder b, long micros) {
        long seconds = micros / 1_000_000;
        int fraction = (int) (micros % 1_000_000);
        two(b, (int) (seconds / 3600));
        two(b.append(':'), (int) (seconds / 60 % 60));
        two(b.append(':'), (int) (seconds % 60));
        if (fraction != 0) {
            String f = Integer.toString(1_000_000 + fraction).substring(1);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(f, 0, end);
        }
    }

    private static void two(StringBuilder b, int v) {
        if (v < 10) {
            b.append('0');
        }
        b.append(v);
    }

    /** HH:MM:SS[.f...] between from and to; 24:00:00 is LocalTime.MAX. */
    private static LocalTime parseClock(String s, int from, int to) {
        int hour = Integer.parseInt(s, from, from + 2, 10);
        int minute = Integer.parseInt(s, from + 3, from + 5, 10);
        int second = Integer.parseInt(s, from + 6, from + 8, 10);
        int nanos = 0;
        if (to > from + 8) {
            if (s.charAt(from + 8) != '.') {
                throw new DateTimeException("bad fraction");
            }
            String digits = (s.substring(from + 9, to) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(digits);
        }
        if (hour == 24 && minute == 0 && second == 0 && nanos == 0) {
            return LocalTime.MAX;
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    private static int offsetStart(String s, int from) {
        for (int i = from + 8; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '-') {
                return i;
            }
        }
        throw new DateTimeException("no offset");
    }

    /** +HH, +HH:MM or +HH:MM:SS. */
    private static ZoneOffset parseOffset(String s, int from, int to) {
        int sign = s.charAt(from) == '-' ? -1 : 1;
        int hours = Integer.parseInt(s, from + 1, from + 3, 10);
        int minutes = to > from + 3 ? Integer.parseInt(s, from + 4, from + 6, 10) : 0;
        int seconds = to > from + 6 ? Integer.parseInt(s, from + 7, from + 9, 10) : 0;
        return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60 + seconds));
    }
}
