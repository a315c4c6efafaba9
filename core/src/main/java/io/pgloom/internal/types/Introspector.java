package io.pgloom.internal.types;

import io.pgloom.Row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Asks the catalogs about types pgloom did not know, and about the types those depend on (an
 * array's element, a domain's base, a composite's fields, a range's subtype), until every one
 * is described. Its queries take and return built-in types only, so they run before anything
 * was learned: {@code $1::oid[]} in, oid/text/"char" and arrays of them out.
 */
final class Introspector {

    private Introspector() {
    }

    static final String TYPES_SQL = """
            SELECT t.oid, t.typname::text, n.nspname::text, t.typtype, t.typcategory, t.typelem, t.typbasetype,
                   (SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid) AS rngsubtype,
                   COALESCE((SELECT e.typdelim FROM pg_catalog.pg_type e WHERE e.oid = t.typelem), ',') AS delim,
                   ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS field_names,
                   ARRAY(SELECT a.atttypid FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS field_types,
                   ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                         WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.oid = ANY($1::oid[])""";

    /** PostgreSQL 14+ only, so asked only when a multirange turned up. */
    static final String MULTIRANGES_SQL = """
            SELECT r.rngmultitypid, r.rngtypid FROM pg_catalog.pg_range r WHERE r.rngmultitypid = ANY($1::oid[])""";

    /** Describes {@code oids} and everything they depend on that {@code known} does not cover. */
    static List<TypeInfo> describe(int[] oids, IntPredicate known, TypeRegistry.TypeLoader loader) {
        Map<Integer, TypeInfo> found = new HashMap<>();
        Set<Integer> pending = new LinkedHashSet<>();
        for (int oid : oids) {
            if (!known.test(oid)) {
                pending.add(oid);
            }
        }
        while (!pending.isEmpty()) {
            long[] batch = pending.stream().mapToLong(o -> o & 0xFFFF_FFFFL).toArray();
            pending.clear();
            List<TypeInfo> infos = new ArrayList<>();
            List<Long> multiranges = new ArrayList<>();
            for (Row row : loader.fetch(TYPES_SQL, (Object) batch)) {
                TypeInfo info = info(row);
                infos.add(info);
                if (info.kind() == 'm') {
                    multiranges.add(info.oid() & 0xFFFF_FFFFL);
                }
            }
            if (!multiranges.isEmpty()) {
                Map<Integer, Integer> rangeOf = new HashMap<>();
                for (Row row : loader.fetch(MULTIRANGES_SQL, multiranges)) {
                    rangeOf.put(oid(row.get(0)), oid(row.get(1)));
                }
                infos.replaceAll(i -> i.kind() != 'm' ? i : new TypeInfo(i.oid(), i.name(), i.schema(), 'm', 0, 0,
                        rangeOf.getOrDefault(i.oid(), 0), ',', List.of(), new int[0], List.of()));
            }
            for (TypeInfo info : infos) {
                found.put(info.oid(), info);
            }
            for (long requested : batch) {
                found.putIfAbsent((int) requested, TypeInfo.unknown((int) requested));
            }
            for (TypeInfo info : infos) {
                for (int dependency : info.dependencies()) {
                    if (dependency != 0 && !known.test(dependency) && !found.containsKey(dependency)) {
                        pending.add(dependency);
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    private static TypeInfo info(Row row) {
        int oid = oid(row.get(0));
        char kind = ((String) row.get(3)).charAt(0);
        char category = ((String) row.get(4)).charAt(0);
        int element = category == 'A' ? oid(row.get(5)) : 0;
        int base = kind == 'd' ? oid(row.get(6)) : 0;
        int subtype = row.get(7) == null ? 0 : oid(row.get(7));
        String delimiter = (String) row.get(8);
        List<?> fieldTypes = (List<?>) row.get(10);
        int[] fieldOids = new int[fieldTypes.size()];
        for (int i = 0; i < fieldOids.length; i++) {
            fieldOids[i] = oid(fieldTypes.get(i));
        }
        @SuppressWarnings("unchecked")
        List<String> fieldNames = (List<String>) row.get(9);
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) row.get(11);
        return new TypeInfo(oid, (String) row.get(1), (String) row.get(2), kind, element, base, subtype,
                delimiter.isEmpty() ? ',' : delimiter.charAt(0), List.copyOf(fieldNames),
                kind == 'c' ? fieldOids : new int[0], List.copyOf(labels));
    }

    /** An oid column's value (a Long, as the oid codec decodes it) as the int the protocol uses. */
    static int oid(Object value) {
        return ((Number) value).intValue();
    }
}
