package io.pgloom.jdbc;

import io.pgloom.PgInterval;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.List;
import java.util.UUID;

/**
 * The values JDBC hands the driver, as pgloom's core takes them, and back.
 *
 * <p><b>Parameters.</b> pgloom encodes each {@code $n} as the type the server inferred for it and
 * refuses, before anything is sent, a Java value that type cannot take without loss. JDBC's
 * setters say what the caller has, not what the column is, so the driver sends the natural
 * java.time form ({@code Timestamp} as {@code LocalDateTime}, {@code Date} as {@code LocalDate})
 * and, when the core refuses a value, first tries its other form ({@link #alternative}: a
 * {@code LocalDateTime} for a timestamptz column becomes the instant in the JVM's zone, as it
 * would with pgjdbc), then casts the placeholder to the value's own type ({@link #castType}:
 * {@code SELECT ?} with {@code setInt} runs as {@code SELECT $1::int4}, as pgjdbc sends an int4).
 * A string the inferred type refuses is sent as text ({@code $1::text}), as pgjdbc sends a
 * varchar: {@code ?::uuid} or {@code ?::int} with {@code setString} work, and a
 * {@code setString} into a uuid or integer column fails on the server, as with pgjdbc.
 */
final class JdbcValues {

    private JdbcValues() {
    }

    /** A value from a JDBC setter or {@code setObject}, in the Java type the core encodes. */
    static Object parameter(Object x) {
        if (x == null) {
            return null;
        }
        if (x instanceof java.sql.Timestamp ts) {
            return ts.toLocalDateTime();
        }
        if (x instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (x instanceof java.sql.Time t) {
            return t.toLocalTime().withNano((int) Math.floorMod(t.getTime(), 1000L) * 1_000_000);
        }
        if (x instanceof java.util.Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), ZoneId.systemDefault());
        }
        if (x instanceof Calendar c) {
            return OffsetDateTime.ofInstant(c.toInstant(), c.getTimeZone().toZoneId());
        }
        if (x instanceof Character c) {
            return c.toString();
        }
        if (x instanceof Byte b) {
            return b.shortValue();
        }
        if (x instanceof char[] chars) {
            return new String(chars);
        }
        if (x instanceof PgloomArray a) {
            return a.toParameter();
        }
        return x;
    }

    /**
     * The same moment or amount in the other form the core may accept, tried once when it refused
     * {@code value}; null when there is none.
     */
    static Object alternative(Object value) {
        ZoneId zone = ZoneId.systemDefault();
        return switch (value) {
            case LocalDateTime ldt -> ldt.atZone(zone).toOffsetDateTime();
            case OffsetDateTime odt -> odt.atZoneSameInstant(zone).toLocalDateTime();
            case ZonedDateTime zdt -> zdt.withZoneSameInstant(zone).toLocalDateTime();
            case Instant i -> LocalDateTime.ofInstant(i, zone);
            case LocalDate d -> d.atStartOfDay(zone).toOffsetDateTime();
            case LocalTime t -> t.atOffset(zone.getRules().getOffset(Instant.now()));
            case OffsetTime t -> t.toLocalTime();
            case BigDecimal d -> d.doubleValue();
            case Float f -> new BigDecimal(f.toString());
            case Double d -> Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            default -> null;
        };
    }

    /** The PostgreSQL type a placeholder is cast to when the core refused this value, or null for none. */
    static String castType(Object value) {
        return switch (value) {
            case String s -> "text";
            case Integer i -> "int4";
            case Long l -> "int8";
            case Short s -> "int2";
            case Boolean b -> "bool";
            case Double d -> "float8";
            case Float f -> "float4";
            case BigDecimal d -> "numeric";
            case BigInteger i -> "numeric";
            case UUID u -> "uuid";
            case LocalDate d -> "date";
            case LocalTime t -> "time";
            case OffsetTime t -> "timetz";
            case LocalDateTime t -> "timestamp";
            case OffsetDateTime t -> "timestamptz";
            case Instant t -> "timestamptz";
            case ZonedDateTime t -> "timestamptz";
            case byte[] b -> "bytea";
            case PgInterval i -> "interval";
            default -> null;
        };
    }

    /** {@code setObject(i, x, targetSqlType)}: x converted to the Java type of that SQL type, as JDBC's table B-5 says. */
    static Object convert(Object x, int sqlType) throws SQLException {
        if (x == null) {
            return null;
        }
        Object v = parameter(x);
        try {
            return switch (sqlType) {
                case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB ->
                        v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
                case Types.BIT, Types.BOOLEAN -> toBoolean(v);
                case Types.TINYINT, Types.SMALLINT -> (short) toLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
                case Types.INTEGER -> (int) toLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
                case Types.BIGINT -> toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
                case Types.REAL -> (float) toDouble(v);
                case Types.FLOAT, Types.DOUBLE -> toDouble(v);
                case Types.NUMERIC, Types.DECIMAL -> toBigDecimal(v);
                case Types.DATE -> v instanceof String s ? LocalDate.parse(s.trim())
                        : v instanceof LocalDateTime t ? t.toLocalDate() : v;
                case Types.TIME -> v instanceof String s ? LocalTime.parse(s.trim())
                        : v instanceof LocalDateTime t ? t.toLocalTime() : v;
                case Types.TIMESTAMP -> v instanceof String s ? java.sql.Timestamp.valueOf(s.trim()).toLocalDateTime()
                        : v instanceof LocalDate d ? d.atStartOfDay() : v;
                case Types.TIMESTAMP_WITH_TIMEZONE -> v instanceof LocalDateTime t ? t.atZone(ZoneId.systemDefault()).toOffsetDateTime()
                        : v instanceof Instant i ? i.atOffset(ZoneOffset.UTC) : v;
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                        v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : v;
                case Types.ARRAY -> v instanceof Array a ? arrayParameter(a) : v;
                default -> v;
            };
        } catch (RuntimeException e) {
            throw new SQLDataException("cannot convert a " + x.getClass().getName() + " to SQL type " + sqlType
                    + ": " + e.getMessage(), "22018", e);
        }
    }

    /** A {@link java.sql.Array} of any driver, as the List the core sends. */
    static Object arrayParameter(Array a) throws SQLException {
        if (a instanceof PgloomArray p) {
            return p.toParameter();
        }
        Object elements = a.getArray();
        if (elements instanceof Object[] objects) {
            return new PgloomArray(a.getBaseTypeName(), objects).toParameter();
        }
        return elements;       // a primitive array, which the core encodes as it is
    }

    static byte[] readAll(InputStream in, long length) throws SQLException {
        try {
            return length < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
        } catch (IOException e) {
            throw new SQLException("reading the parameter's stream failed: " + e, "HY000", e);
        }
    }

    static String readAll(Reader in, long length) throws SQLException {
        try {
            StringBuilder b = new StringBuilder();
            char[] buf = new char[8192];
            long left = length < 0 ? Long.MAX_VALUE : length;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                b.append(buf, 0, n);
                left -= n;
            }
            return b.toString();
        } catch (IOException e) {
            throw new SQLException("reading the parameter's reader failed: " + e, "HY000", e);
        }
    }

    // ---- results: JDBC's getter conversions over the core's default Java values ----

    static boolean toBoolean(Object v) throws SQLException {
        return switch (v) {
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "t", "true", "y", "yes", "on", "1" -> true;
                case "f", "false", "n", "no", "off", "0" -> false;
                default -> throw bad(v, "boolean");
            };
            default -> throw bad(v, "boolean");
        };
    }

    static long toLong(Object v, long min, long max, String what) throws SQLException {
        long l;
        switch (v) {
            case Long x -> l = x;
            case Integer x -> l = x;
            case Short x -> l = x;
            case Byte x -> l = x;
            case Boolean b -> l = b ? 1 : 0;
            case BigInteger b -> l = exactLong(new BigDecimal(b), v, what);
            case BigDecimal d -> l = exactLong(d, v, what);
            case Number n -> {
                double d = n.doubleValue();
                if (Double.isNaN(d) || d < -9.223372036854776E18 || d >= 9.223372036854776E18) {
                    throw bad(v, what);
                }
                l = (long) d;
            }
            case String s -> {
                try {
                    l = exactLong(new BigDecimal(s.trim()), v, what);
                } catch (NumberFormatException e) {
                    throw bad(v, what);
                }
            }
            default -> throw bad(v, what);
        }
        if (l < min || l > max) {
            throw new SQLDataException("value " + v + " is out of range for " + what, "22003");
        }
        return l;
    }

    /** JDBC truncates the fraction (getInt on 2.7 is 2); a value beyond long's range is an error. */
    private static long exactLong(BigDecimal d, Object v, String what) throws SQLException {
        try {
            return d.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new SQLDataException("value " + v + " is out of range for " + what, "22003");
        }
    }

    static double toDouble(Object v) throws SQLException {
        return switch (v) {
            case Number n -> n.doubleValue();
            case Boolean b -> b ? 1 : 0;
            case String s -> {
                try {
                    yield Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw bad(v, "double");
                }
            }
            default -> throw bad(v, "double");
        };
    }

    static BigDecimal toBigDecimal(Object v) throws SQLException {
        return switch (v) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            case Number n -> new BigDecimal(n.toString());
            case Boolean b -> b ? BigDecimal.ONE : BigDecimal.ZERO;
            case String s -> {
                try {
                    yield new BigDecimal(s.trim());
                } catch (NumberFormatException e) {
                    throw bad(v, "BigDecimal");
                }
            }
            default -> throw bad(v, "BigDecimal");
        };
    }

    static LocalDateTime toLocalDateTime(Object v, ZoneId zone) throws SQLException {
        return switch (v) {
            case LocalDateTime t -> t;
            case OffsetDateTime t -> t.atZoneSameInstant(zone).toLocalDateTime();
            case LocalDate d -> d.atStartOfDay();
            case String s -> {
                try {
                    yield java.sql.Timestamp.valueOf(s.trim()).toLocalDateTime();
                } catch (IllegalArgumentException e) {
                    throw bad(v, "timestamp");
                }
            }
            default -> throw bad(v, "timestamp");
        };
    }

    /** The instant of a timestamp value; a timestamp without time zone is read in {@code zone}. */
    static Instant toInstant(Object v, ZoneId zone) throws SQLException {
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return toLocalDateTime(v, zone).atZone(zone).toInstant();
    }

    static LocalDate toLocalDate(Object v, ZoneId zone) throws SQLException {
        return switch (v) {
            case LocalDate d -> d;
            case LocalDateTime t -> t.toLocalDate();
            case OffsetDateTime t -> t.atZoneSameInstant(zone).toLocalDate();
            case String s -> {
                try {
                    yield LocalDate.parse(s.trim());
                } catch (RuntimeException e) {
                    throw bad(v, "date");
                }
            }
            default -> throw bad(v, "date");
        };
    }

    static LocalTime toLocalTime(Object v, ZoneId zone) throws SQLException {
        return switch (v) {
            case LocalTime t -> t;
            case OffsetTime t -> t.withOffsetSameInstant(zone.getRules().getOffset(Instant.now())).toLocalTime();
            case LocalDateTime t -> t.toLocalTime();
            case OffsetDateTime t -> t.atZoneSameInstant(zone).toLocalTime();
            case String s -> {
                try {
                    yield LocalTime.parse(s.trim());
                } catch (RuntimeException e) {
                    throw bad(v, "time");
                }
            }
            default -> throw bad(v, "time");
        };
    }

    /** getObject's default for a column: JDBC's java.sql types for dates and arrays, the core's value otherwise. */
    static Object jdbcObject(Object v, String typeName) {
        return switch (v) {
            case LocalDateTime t -> java.sql.Timestamp.valueOf(t);
            case OffsetDateTime t -> java.sql.Timestamp.from(t.toInstant());
            case LocalDate d -> java.sql.Date.valueOf(d);
            case LocalTime t -> java.sql.Time.valueOf(t);
            case List<?> l -> PgloomArray.fromList(typeName, l);
            default -> v;
        };
    }

    static SQLDataException bad(Object v, String what) {
        return new SQLDataException("cannot read " + v.getClass().getSimpleName() + " value \"" + v + "\" as " + what, "22018");
    }
}
