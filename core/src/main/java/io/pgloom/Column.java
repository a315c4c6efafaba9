package io.pgloom;

/**
 * The description of one result column, from the server's RowDescription.
 *
 * @param name the column's name (its alias when one was given)
 * @param typeOid the OID of its data type
 * @param typeName the data type's name (int4, text, my_enum, ...), or the OID as text when unknown
 * @param tableOid the OID of the table it comes from, or 0
 * @param tableColumn the attribute number in that table, or 0
 * @param typeModifier the type modifier (varchar length, numeric precision), or -1
 */
public record Column(String name, int typeOid, String typeName, int tableOid, int tableColumn, int typeModifier) {
}
