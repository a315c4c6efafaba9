package io.pgloom.internal.types;

import io.pgloom.Column;
import io.pgloom.PgException;
import io.pgloom.Row;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a row to a Java record, column to component by name: {@code row.as(Person.class)}.
 *
 * <pre>{@code
 * record Person(int id, String fullName, LocalDate born) {}
 * Person p = conn.fetchRow("SELECT id, full_name, born FROM people WHERE id = $1", 7).as(Person.class);
 * }</pre>
 *
 * <p>A component matches the column of the same name, ignoring case, or its snake_case form
 * ({@code fullName} takes {@code full_name}). Each value goes through {@code Row.get(i, type)}
 * so the usual conversions apply and a composite column maps to a nested record. Columns no
 * component names are ignored; a component without a column, a NULL for a primitive, or a
 * value that cannot become the component's type is an error naming the component.
 *
 * <p>The plan (which column feeds which component, the canonical constructor) is worked out
 * once per (column list, record class) and cached; rows of one statement share their column
 * list, so mapping a row costs a lookup by identity. Thread-safe.
 */
public final class RecordMapper {

    private RecordMapper() {
    }

    private record Plan(List<Column> columns, int[] columnOf, Class<?>[] types, String[] names, MethodHandle constructor) {
    }

    /** The plan last used for each record class; almost always the one the next row needs. */
    private static final ClassValue<Plan[]> LAST = new ClassValue<>() {
        @Override
        protected Plan[] computeValue(Class<?> type) {
            return new Plan[1];
        }
    };

    private static final Map<Object, Plan> PLANS = new ConcurrentHashMap<>();

    /** Maps {@code row}'s columns to a new {@code recordType}. */
    public static <R> R map(Row row, Class<R> recordType) {
        if (!recordType.isRecord()) {
            throw new PgException(recordType.getName() + " is not a record: rows map to records only");
        }
        Plan[] last = LAST.get(recordType);
        Plan plan = last[0];
        if (plan == null || plan.columns != row.columns()) {
            plan = PLANS.computeIfAbsent(List.of(row.columns(), recordType), k -> plan(row.columns(), recordType));
            if (PLANS.size() > 1024) {
                PLANS.clear(); // statements come and go; keep the cache from growing without end
            }
            last[0] = plan;
        }
        Object[] args = new Object[plan.columnOf.length];
        for (int i = 0; i < args.length; i++) {
            int column = plan.columnOf[i];
            Class<?> type = plan.types[i];
            try {
                args[i] = row.get(column, type);
            } catch (PgException e) {
                throw new PgException("cannot map column \"" + row.columns().get(column).name() + "\" to component "
                        + recordType.getSimpleName() + "." + plan.names[i] + " (" + type.getTypeName() + "): "
                        + e.getMessage(), e);
            }
            if (args[i] == null && type.isPrimitive()) {
                throw new PgException("column \"" + row.columns().get(column).name() + "\" is NULL, which component "
                        + recordType.getSimpleName() + "." + plan.names[i] + " (" + type.getName()
                        + ") cannot hold: make it " + Conversions.box(type).getSimpleName());
            }
        }
        try {
            return recordType.cast(plan.constructor.invokeWithArguments(args));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new PgException("the constructor of " + recordType.getName() + " failed: " + e, e);
        }
    }

    private static Plan plan(List<Column> columns, Class<?> recordType) {
        RecordComponent[] components = recordType.getRecordComponents();
        int[] columnOf = new int[components.length];
        Class<?>[] types = new Class<?>[components.length];
        String[] names = new String[components.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            types[i] = components[i].getType();
            columnOf[i] = find(columns, names[i]);
            if (columnOf[i] < 0) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new PgException("cannot map a row to " + recordType.getName() + ": no column for component"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; the columns are "
                    + columns.stream().map(Column::name).toList());
        }
        try {
            Constructor<?> constructor = recordType.getDeclaredConstructor(types);
            constructor.trySetAccessible();
            return new Plan(columns, columnOf, types, names, MethodHandles.lookup().unreflectConstructor(constructor));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new PgException("cannot call the constructor of " + recordType.getName()
                    + " (is it accessible to pgloom?): " + e, e);
        }
    }

    /** The column for a component: same name, then ignoring case, then its snake_case form. */
    private static int find(List<Column> columns, String component) {
        String snake = component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        for (int pass = 0; pass < 3; pass++) {
            for (int c = 0; c < columns.size(); c++) {
                String name = columns.get(c).name();
                boolean match = switch (pass) {
                    case 0 -> name.equals(component);
                    case 1 -> name.equalsIgnoreCase(component);
                    default -> name.equalsIgnoreCase(snake);
                };
                if (match) {
                    return c;
                }
            }
        }
        return -1;
    }
}
