package io.pgloom.jdbc;

import java.sql.Types;

/**
 * PostgreSQL type names as JDBC sees them: the {@link Types} code, the Java class
 * {@code getObject} returns, and display sizes, for result set and database metadata.
 */
final class JdbcTypes {

    private JdbcTypes() {
    }

    /** The {@link Types} code of a type by its name ({@code int4}, {@code _text}, {@code my_enum}). */
    static int sqlType(String typeName) {
        if (typeName.startsWith("_")) {
            return Types.ARRAY;
        }
        return switch (typeName) {
            case "bool" -> Types.BOOLEAN;
            case "int2" -> Types.SMALLINT;
            case "int4", "serial" -> Types.INTEGER;
            case "int8", "bigserial", "oid" -> Types.BIGINT;
            case "float4" -> Types.REAL;
            case "float8", "money" -> Types.DOUBLE;
            case "numeric" -> Types.NUMERIC;
            case "text", "varchar", "name", "citext" -> Types.VARCHAR;
            case "bpchar", "char" -> Types.CHAR;
            case "bytea" -> Types.BINARY;
            case "date" -> Types.DATE;
            case "time" -> Types.TIME;
            case "timetz" -> Types.TIME_WITH_TIMEZONE;
            case "timestamp" -> Types.TIMESTAMP;
            case "timestamptz" -> Types.TIMESTAMP_WITH_TIMEZONE;
            case "xml" -> Types.SQLXML;
            case "bit", "varbit" -> Types.BIT;
            default -> Types.OTHER;
        };
    }

    /** The class {@code ResultSet.getObject} returns for a type. */
    static String className(String typeName) {
        return switch (sqlType(typeName)) {
            case Types.BOOLEAN -> "java.lang.Boolean";
            case Types.SMALLINT -> "java.lang.Short";
            case Types.INTEGER -> "java.lang.Integer";
            case Types.BIGINT -> "java.lang.Long";
            case Types.REAL -> "java.lang.Float";
            case Types.DOUBLE -> "java.lang.Double";
            case Types.NUMERIC -> "java.math.BigDecimal";
            case Types.VARCHAR, Types.CHAR, Types.SQLXML -> "java.lang.String";
            case Types.BINARY -> "[B";
            case Types.DATE -> "java.sql.Date";
            case Types.TIME -> "java.sql.Time";
            case Types.TIME_WITH_TIMEZONE -> "java.time.OffsetTime";
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "java.sql.Timestamp";
            case Types.ARRAY -> "java.sql.Array";
            default -> typeName.equals("uuid") ? "java.util.UUID" : "java.lang.Object";
        };
    }

    /** The precision (digits or characters) a type modifier gives, or a type's fixed one; 0 when unknown. */
    static int precision(String typeName, int typeModifier) {
        return switch (typeName) {
            case "int2" -> 5;
            case "int4" -> 10;
            case "int8" -> 19;
            case "float4" -> 8;
            case "float8" -> 17;
            case "bool" -> 1;
            case "numeric" -> typeModifier < 4 ? 0 : ((typeModifier - 4) >> 16) & 0xffff;
            case "varchar", "bpchar" -> typeModifier < 4 ? 0 : typeModifier - 4;
            case "date" -> 13;
            case "time" -> 15;
            case "timetz" -> 21;
            case "timestamp" -> 29;
            case "timestamptz" -> 35;
            case "uuid" -> 36;
            default -> 0;
        };
    }

    /** The digits after the decimal point, for numeric (from its modifier) and the fractional seconds of times. */
    static int scale(String typeName, int typeModifier) {
        return switch (typeName) {
            case "numeric" -> typeModifier < 4 ? 0 : (typeModifier - 4) & 0xffff;
            case "time", "timetz", "timestamp", "timestamptz" -> typeModifier < 0 ? 6 : typeModifier;
            case "float4" -> 8;
            case "float8" -> 17;
            default -> 0;
        };
    }

    static boolean isSigned(String typeName) {
        return switch (typeName) {
            case "int2", "int4", "int8", "float4", "float8", "numeric", "money" -> true;
            default -> false;
        };
    }
}
