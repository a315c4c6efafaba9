package io.pgloom.internal.types;

import java.util.List;

/**
 * What the catalogs say about one type pgloom did not know: enough to build its codec. Shared
 * by every connection to the same server (the registry's cache key), so immutable.
 *
 * @param oid the type's OID
 * @param name its {@code typname}
 * @param schema its schema's name
 * @param kind {@code typtype}: b base, c composite, d domain, e enum, r range, m multirange, p pseudo
 * @param elementOid for an array (typcategory A), the element type; else 0
 * @param baseOid for a domain, the type it restricts; else 0
 * @param subtypeOid for a range, the subtype; for a multirange, its range type; else 0
 * @param delimiter the array delimiter of the element type (',' except for box)
 * @param fieldNames a composite's attribute names, in order
 * @param fieldOids a composite's attribute types, in order
 * @param labels an enum's labels, in sort order
 */
record TypeInfo(int oid, String name, String schema, char kind, int elementOid, int baseOid, int subtypeOid,
                char delimiter, List<String> fieldNames, int[] fieldOids, List<String> labels) {

    /** A placeholder for an OID the catalogs did not know: it travels as text. */
    static TypeInfo unknown(int oid) {
        return new TypeInfo(oid, Integer.toUnsignedString(oid), "", 'p', 0, 0, 0, ',', List.of(), new int[0], List.of());
    }

    boolean isArray() {
        return elementOid != 0;
    }

    /** The OIDs this type's codec needs codecs for. */
    int[] dependencies() {
        if (elementOid != 0) {
            return new int[] {elementOid};
        }
        if (baseOid != 0) {
            return new int[] {baseOid};
        }
        if (subtypeOid != 0) {
            return new int[] {subtypeOid};
        }
        return fieldOids;
    }
}
