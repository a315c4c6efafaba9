package io.pgloom.internal.types;

import io.pgloom.PgInterval;

/**
 * The text form of intervals in PostgreSQL's default IntervalStyle, {@code postgres}:
 * {@code 1 year 2 mons -3 days +04:05:06.5}. ISO 8601 input ({@code P1Y2M3DT4H}) is read too.
 */
final class IntervalText {

    private IntervalText() {
    }

    static PgInterval parse(String text) {
        try {
            if (text.startsWith("P") || text.startsWith("-P")) {
                return parseIso(text);
            }
            int months = 0;
            int days = 0;
            long micros = 0;
            String[] tokens = text.trim().split(" +");
            for (int i = 0; i < tokens.length; i++) {
                String token = tokens[i];
                if (token.indexOf(':') >= 0) {
                    micros = Math.addExact(micros, parseClock(token));
                    continue;
                }
                int n = Integer.parseInt(token.startsWith("+") ? token.substring(1) : token);
                String unit = tokens[++i];
                if (unit.startsWith("year")) {
                    months = Math.addExact(months, Math.multiplyExact(n, 12));
                } else if (unit.startsWith("mon")) {
                    months = Math.addExact(months, n);
                } else if (unit.startsWith("day")) {
                    days = Math.addExact(days, n);
                } else {
                    throw new IllegalArgumentException(unit);
                }
            }
            return new PgInterval(months, days, micros);
        } catch (RuntimeException e) {
            throw ValueException.malformed("interval '" + text + "'");
        }
    }

    /** PostgreSQL's own output for an interval in IntervalStyle postgres. */
    static String format(PgInterval interval) {
        StringBuilder b = new StringBuilder(40);
        boolean[] state = {true, false}; // {nothing written yet, the previous part was negative}
        part(b, interval.months() / 12, "year", state);
        part(b, interval.months() % 12, "mon", state);
        part(b, interval.days(), "day", state);
        long micros = interval.microseconds();
        if (state[0] || micros != 0) {
            if (!state[0]) {
                b.append(' ');
            }
            b.append(micros < 0 ? "-" : state[1] ? "+" : "");
            long abs = Math.abs(micros); // interval's time part never reaches Long.MIN_VALUE in practice
            long seconds = abs / 1_000_000;
            long hours = seconds / 3600;
            if (hours < 10) {
                b.append('0');
            }
            b.append(hours).append(':');
            appendTwo(b, seconds / 60 % 60);
            b.append(':');
            appendTwo(b, seconds % 60);
            int fraction = (int) (abs % 1_000_000);
            if (fraction != 0) {
                String f = Integer.toString(1_000_000 + fraction).substring(1);
                int end = f.length();
                while (f.charAt(end - 1) == '0') {
                    end--;
                }
                b.append('.').append(f, 0, end);
            }
        }
        return b.toString();
    }

    private static void part(StringBuilder b, int value, String unit, boolean[] state) {
        if (value == 0) {
            return;
        }
        if (!state[0]) {
            b.append(' ');
        }
        if (state[1] && value > 0) {
            b.append('+');
        }
        b.append(value).append(' ').append(unit);
        if (value != 1) {
            b.append('s');
        }
        state[1] = value < 0;
        state[0] = false;
    }

    private static void appendTwo(StringBuilder b, long v) {
        if (v < 10) {
            b.append('0');
        }
        b.append(v);
    }

    /** [+-]H:MM:SS[.f], hours of any length. */
    private static long parseClock(String token) {
        int sign = token.startsWith("-") ? -1 : 1;
        String t = token.startsWith("-") || token.startsWith("+") ? token.substring(1) : token;
        String[] parts = t.split(":");
        long hours = Long.parseLong(parts[0]);
        long minutes = Long.parseLong(parts[1]);
        String sec = parts.length > 2 ? parts[2] : "0";
        int dot = sec.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? sec : sec.substring(0, dot));
        long fraction = dot < 0 ? 0 : Long.parseLong((sec.substring(dot + 1) + "000000").substring(0, 6));
        return sign * ((hours * 3600 + minutes * 60 + seconds) * 1_000_000 + fraction);
    }

    /** PnYnMnDTnHnMnS, each part optionally negative. */
    private static PgInterval parseIso(String text) {
        int sign = text.startsWith("-") ? -1 : 1;
        String s = text.substring(sign < 0 ? 2 : 1);
        int months = 0;
        int days = 0;
        long micros = 0;
        boolean time = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'T') {
                time = true;
                start = i + 1;
                continue;
            }
            if (Character.isLetter(c)) {
                String number = s.substring(start, i);
                start = i + 1;
                if (!time && c == 'Y') {
                    months += Integer.parseInt(number) * 12;
                } else if (!time && c == 'M') {
                    months += Integer.parseInt(number);
                } else if (!time && c == 'W') {
                    days += Integer.parseInt(number) * 7;
                } else if (!time && c == 'D') {
                    days += Integer.parseInt(number);
                } else if (time && c == 'H') {
                    micros += Long.parseLong(number) * 3_600_000_000L;
                } else if (time && c == 'M') {
                    micros += Long.parseLong(number) * 60_000_000L;
                } else if (time && c == 'S') {
                    micros += new java.math.BigDecimal(number).movePointRight(6).longValueExact();
                } else {
                    throw new IllegalArgumentException(text);
                }
            }
        }
        return new PgInterval(sign * months, sign * days, sign * micros);
    }
}
