package io.pgloom.internal.types;

import io.pgloom.PgException;
import io.pgloom.PgInterval;
import io.pgloom.Row;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * {@code Row.get(i, Class)}: turns a decoded value into the type the caller asked for, where
 * that is safe and obvious, and otherwise says what it cannot do.
 *
 * <ul>
 * <li>Any value to {@code String}: its PostgreSQL text form.</li>
 * <li>Numbers to any numeric box, BigInteger or BigDecimal when the value fits exactly
 *     (int8 {@code 5} as Integer works, {@code 2^40} does not); numeric to Double/Float rounds.</li>
 * <li>timestamptz to {@code Instant} or {@code ZonedDateTime} (UTC); interval to
 *     {@code Duration} or {@code Period} (see {@link PgInterval}).</li>
 * <li>Arrays (Lists) to Java arrays, also primitive and nested ({@code int[][]}), element by
 *     element with these same rules; a NULL element cannot go into a primitive array.</li>
 * <li>An enum label (or any text) to a Java enum constant of the same name; a composite
 *     ({@link Row}) to a record, by component names.</li>
 * </ul>
 */
final class Conversions {

    private Conversions() {
    }

    @SuppressWarnings("unchecked")
    static <T> T convert(TypeRegistry registry, Object value, int typeOid, Class<T> target) {
        Class<?> boxed = box(target);
        if (boxed.isInstance(value)) {
            return (T) value;
        }
        try {
            Object result = convertOrNull(registry, value, typeOid, boxed);
            if (result != null) {
                return (T) result;
            }
        } catch (ValueException e) {
            throw failure(registry, value, typeOid, target, e.getMessage());
        }
        throw failure(registry, value, typeOid, target, null);
    }

    private static Object convertOrNull(TypeRegistry registry, Object value, int typeOid, Class<?> target) {
        if (target == String.class) {
            return registry.textOf(value, typeOid);
        }
        if (value instanceof Number n && Number.class.isAssignableFrom(target)) {
            return number(n, target);
        }
        if (value instanceof OffsetDateTime t) {
            if (target == Instant.class) {
                return t.equals(OffsetDateTime.MAX) ? Instant.MAX : t.equals(OffsetDateTime.MIN) ? Instant.MIN : t.toInstant();
            }
            if (target == ZonedDateTime.class) {
                return t.atZoneSameInstant(ZoneOffset.UTC);
            }
        }
        if (value instanceof PgInterval i) {
            if (target == Duration.class) {
                return i.toDuration();
            }
            if (target == Period.class) {
                return i.toPeriod();
            }
        }
        if (value instanceof List<?> list && target.isArray()) {
            return array(registry, list, registry.elementOid(typeOid), target);
        }
        if (value instanceof String s) {
            if (target.isEnum()) {
                return enumConstant(s, target);
            }
            if (target == Character.class && s.length() == 1) {
                return s.charAt(0);
            }
        }
        if (value instanceof Row row && target.isRecord()) {
            return RecordMapper.map(row, target);
        }
        if (value instanceof byte[] b && target == ByteBuffer.class) {
            return ByteBuffer.wrap(b).asReadOnlyBuffer();
        }
        if (value instanceof io.pgloom.PgInet inet && target == java.net.InetAddress.class) {
            return inet.address();
        }
        return null;
    }

    private static Object number(Number n, Class<?> target) {
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
            if (target == Float.class) {
                return d.floatValue();
            }
            throw new ValueException(d + " has no " + target.getSimpleName() + " value");
        }
        BigDecimal exact = n instanceof Float f ? new BigDecimal(f) : n instanceof Double d ? new BigDecimal(d)
                : NumberCodecs.Numbers.exactDecimal(n);
        try {
            if (target == Long.class) {
                return exact.longValueExact();
            }
            if (target == Integer.class) {
                return exact.intValueExact();
            }
            if (target == Short.class) {
                return exact.shortValueExact();
            }
            if (target == Byte.class) {
                return exact.byteValueExact();
            }
            if (target == BigInteger.class) {
                return exact.toBigIntegerExact();
            }
        } catch (ArithmeticException e) {
            throw new ValueException("the value does not fit");
        }
        if (target == BigDecimal.class) {
            return n instanceof Double d ? BigDecimal.valueOf(d) : n instanceof Float f ? new BigDecimal(f.toString()) : exact;
        }
        boolean rounds = n instanceof BigDecimal; // numeric to a float type: the caller asked for an approximation
        if (target == Double.class) {
            double d = exact.doubleValue();
            if (rounds || new BigDecimal(d).compareTo(exact) == 0) {
                return d;
            }
            throw new ValueException("a double cannot hold it exactly");
        }
        if (target == Float.class) {
            float f = exact.floatValue();
            if (rounds || (!Float.isInfinite(f) && new BigDecimal(f).compareTo(exact) == 0)) {
                return f;
            }
            throw new ValueException("a float cannot hold it exactly");
        }
        return null;
    }

    private static Object array(TypeRegistry registry, List<?> list, int elementOid, Class<?> target) {
        Class<?> component = target.getComponentType();
        Object array = Array.newInstance(component, list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null) {
                if (component.isPrimitive()) {
                    throw new ValueException("element " + i + " is NULL, which a " + component.getName()
                            + "[] cannot hold: read it as " + box(component).getSimpleName() + "[] or List");
                }
                continue;
            }
            Object converted;
            if (item instanceof List<?> inner && component.isArray()) {
                converted = array(registry, inner, elementOid, component);
            } else {
                try {
                    converted = convert(registry, item, elementOid, component);
                } catch (PgException e) {
                    throw new ValueException("element " + i + ": " + e.getMessage());
                }
            }
            Array.set(array, i, converted);
        }
        return array;
    }

    private static Object enumConstant(String label, Class<?> target) {
        Object[] constants = target.getEnumConstants();
        for (Object c : constants) {
            if (((Enum<?>) c).name().equals(label)) {
                return c;
            }
        }
        for (Object c : constants) {
            if (((Enum<?>) c).name().equalsIgnoreCase(label)) {
                return c;
            }
        }
        throw new ValueException("no constant named '" + label + "' in " + List.of(constants));
    }

    private static PgException failure(TypeRegistry registry, Object value, int typeOid, Class<?> target, String reason) {
        return new PgException("cannot read a " + registry.typeName(typeOid) + " value (" + value.getClass().getName()
                + ") as " + target.getName() + (reason != null ? ": " + reason : hint(target)));
    }

    private static String hint(Class<?> target) {
        return ": no safe conversion; read it with get(i) or as String";
    }

    static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == int.class) {
            return Integer.class;
        }
        if (c == long.class) {
            return Long.class;
        }
        if (c == double.class) {
            return Double.class;
        }
        if (c == float.class) {
            return Float.class;
        }
        if (c == short.class) {
            return Short.class;
        }
        if (c == boolean.class) {
            return Boolean.class;
        }
        if (c == byte.class) {
            return Byte.class;
        }
        if (c == char.class) {
            return Character.class;
        }
        return c;
    }
}
