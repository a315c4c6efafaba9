package io.pgloom.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The part of {@link java.sql.DatabaseMetaData} that Hibernate, Flyway and jOOQ read, answered
 * from pg_catalog: product and versions, tables, columns, primary, imported and exported keys,
 * indexes, types, schemas. Each result set has the columns, names and order the JDBC
 * specification gives. Catalogs are databases: a connection sees its own only, so a non-null
 * {@code catalog} argument other than it finds nothing. The fixed answers are in
 * {@link DatabaseFlags}.
 *
 * <p>Methods about what PostgreSQL does not have the JDBC way (UDT hierarchies, REF, row ids,
 * privileges and procedure columns) throw {@link java.sql.SQLFeatureNotSupportedException}.
 */
final class PgloomDatabaseMetaData extends DatabaseFlags {

    private final PgloomConnection connection;
    private String database;

    PgloomDatabaseMetaData(PgloomConnection connection) {
        this.connection = connection;
    }

    /** The connection's database, the only catalog it sees. */
    String database() throws SQLException {
        if (database == null) {
            database = connection.withSession(session -> session.fetchVal(String.class, "SELECT current_database()"));
        }
        return database;
    }

    /** Runs a catalog query with {@code ?} parameters; the result closes its statement. */
    private ResultSet query(String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ResultSet rs = ps.executeQuery();
            ps.closeOnCompletion();
            return rs;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** A JDBC name pattern as a LIKE pattern: null matches everything. */
    private static String pattern(String p) {
        return p == null ? "%" : p;
    }

    /** A catalog argument that names another database matches nothing. */
    private boolean otherCatalog(String catalog) throws SQLException {
        return catalog != null && !catalog.isEmpty() && !catalog.equals(database());
    }

    /** The connection's URL without its password (tools log it: Hibernate does at boot). */
    @Override
    public String getURL() {
        return PgloomDriver.redact(connection.url());
    }

    @Override
    public String getUserName() throws SQLException {
        return connection.user();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return connection.isReadOnly();
    }

    @Override
    public String getDatabaseProductVersion() throws SQLException {
        return connection.withSession(session -> {
            String v = session.serverParameters().get("server_version");
            return v != null ? v : Integer.toString(session.serverVersion());
        });
    }

    @Override
    public int getDatabaseMajorVersion() throws SQLException {
        int v = connection.withSession(io.pgloom.PgConnection::serverVersion);
        return v >= 100000 ? v / 10000 : v / 10000;
    }

    @Override
    public int getDatabaseMinorVersion() throws SQLException {
        int v = connection.withSession(io.pgloom.PgConnection::serverVersion);
        return v >= 100000 ? v % 10000 : (v / 100) % 100;
    }

    /** PostgreSQL's keywords that SQL:2003 does not reserve, as the server lists them. */
    @Override
    public String getSQLKeywords() throws SQLException {
        return connection.withSession(session -> session.fetchVal(String.class,
                "SELECT string_agg(word, ',' ORDER BY word) FROM pg_catalog.pg_get_keywords()"
                        + " WHERE catcode IN ('R', 'T') AND upper(word) <> ALL ($1)", SQL_2003_RESERVED));
    }

    private static final List<String> SQL_2003_RESERVED = Arrays.asList(("ABS ALL ALLOCATE ALTER AND ANY ARE ARRAY AS"
            + " ASENSITIVE ASYMMETRIC AT ATOMIC AUTHORIZATION AVG BEGIN BETWEEN BIGINT BINARY BLOB BOOLEAN BOTH BY CALL"
            + " CALLED CARDINALITY CASCADED CASE CAST CEIL CEILING CHAR CHARACTER CHARACTER_LENGTH CHAR_LENGTH CHECK CLOB"
            + " CLOSE COALESCE COLLATE COLLECT COLUMN COMMIT CONDITION CONNECT CONSTRAINT CONVERT CORR CORRESPONDING COUNT"
            + " COVAR_POP COVAR_SAMP CREATE CROSS CUBE CUME_DIST CURRENT CURRENT_DATE CURRENT_DEFAULT_TRANSFORM_GROUP"
            + " CURRENT_PATH CURRENT_ROLE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_TRANSFORM_GROUP_FOR_TYPE CURRENT_USER"
            + " CURSOR CYCLE DATE DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DELETE DENSE_RANK DEREF DESCRIBE DETERMINISTIC"
            + " DISCONNECT DISTINCT DOUBLE DROP DYNAMIC EACH ELEMENT ELSE END END-EXEC ESCAPE EVERY EXCEPT EXEC EXECUTE"
            + " EXISTS EXP EXTERNAL EXTRACT FALSE FETCH FILTER FLOAT FLOOR FOR FOREIGN FREE FROM FULL FUNCTION FUSION GET"
            + " GLOBAL GRANT GROUP GROUPING HAVING HOLD HOUR IDENTITY IN INDICATOR INNER INOUT INSENSITIVE INSERT INT"
            + " INTEGER INTERSECT INTERSECTION INTERVAL INTO IS JOIN LANGUAGE LARGE LATERAL LEADING LEFT LIKE LN LOCAL"
            + " LOCALTIME LOCALTIMESTAMP LOWER MATCH MAX MEMBER MERGE METHOD MIN MINUTE MOD MODIFIES MODULE MONTH MULTISET"
            + " NATIONAL NATURAL NCHAR NCLOB NEW NO NONE NORMALIZE NOT NULL NULLIF NUMERIC OCTET_LENGTH OF OLD ON ONLY"
            + " OPEN OR ORDER OUT OUTER OVER OVERLAPS OVERLAY PARAMETER PARTITION PERCENTILE_CONT PERCENTILE_DISC"
            + " PERCENT_RANK POSITION POWER PRECISION PREPARE PRIMARY PROCEDURE RANGE RANK READS REAL RECURSIVE REF"
            + " REFERENCES REFERENCING REGR_AVGX REGR_AVGY REGR_COUNT REGR_INTERCEPT REGR_R2 REGR_SLOPE REGR_SXX REGR_SXY"
            + " REGR_SYY RELEASE RESULT RETURN RETURNS REVOKE RIGHT ROLLBACK ROLLUP ROW ROWS ROW_NUMBER SAVEPOINT SCOPE"
            + " SCROLL SEARCH SECOND SELECT SENSITIVE SESSION_USER SET SIMILAR SMALLINT SOME SPECIFIC SPECIFICTYPE SQL"
            + " SQLEXCEPTION SQLSTATE SQLWARNING SQRT START STATIC STDDEV_POP STDDEV_SAMP SUBMULTISET SUBSTRING SUM"
            + " SYMMETRIC SYSTEM SYSTEM_USER TABLE TABLESAMPLE THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO"
            + " TRAILING TRANSLATE TRANSLATION TREAT TRIGGER TRIM TRUE UESCAPE UNION UNIQUE UNKNOWN UNNEST UPDATE UPPER"
            + " USER USING VALUE VALUES VARCHAR VARYING VAR_POP VAR_SAMP WHEN WHENEVER WHERE WIDTH_BUCKET WINDOW WITH"
            + " WITHIN WITHOUT YEAR").split(" "));

    @Override
    public Connection getConnection() {
        return connection;
    }

    // ---- catalog queries ----

    /** The JDBC type name of a pg_class row {@code c} in namespace {@code n}. */
    private static final String TABLE_TYPE = """
            CASE
              WHEN n.nspname ~ '^pg_temp_' THEN CASE c.relkind WHEN 'r' THEN 'TEMPORARY TABLE' WHEN 'p' THEN 'TEMPORARY TABLE'
                   WHEN 'v' THEN 'TEMPORARY VIEW' WHEN 'S' THEN 'TEMPORARY SEQUENCE' WHEN 'i' THEN 'TEMPORARY INDEX' END
              WHEN n.nspname IN ('pg_catalog', 'information_schema') OR n.nspname ~ '^pg_toast' THEN
                   CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' WHEN 'i' THEN 'SYSTEM INDEX'
                   WHEN 't' THEN 'SYSTEM TOAST TABLE' END
              ELSE CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW'
                   WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                   WHEN 'i' THEN 'INDEX' WHEN 'I' THEN 'PARTITIONED INDEX' WHEN 'c' THEN 'TYPE' END
            END""";

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types) throws SQLException {
        String sql = "SELECT * FROM (SELECT current_database()::text AS \"TABLE_CAT\", n.nspname::text AS \"TABLE_SCHEM\","
                + " c.relname::text AS \"TABLE_NAME\", " + TABLE_TYPE + " AS \"TABLE_TYPE\", d.description AS \"REMARKS\","
                + " NULL::text AS \"TYPE_CAT\", NULL::text AS \"TYPE_SCHEM\", NULL::text AS \"TYPE_NAME\","
                + " NULL::text AS \"SELF_REFERENCING_COL_NAME\", NULL::text AS \"REF_GENERATION\""
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0"
                + " AND d.classoid = 'pg_catalog.pg_class'::regclass"
                + " WHERE n.nspname LIKE ? AND c.relname LIKE ? AND ?) t"
                + " WHERE \"TABLE_TYPE\" IS NOT NULL AND (?::text[] IS NULL OR \"TABLE_TYPE\" = ANY (?::text[]))"
                + " ORDER BY \"TABLE_TYPE\", \"TABLE_SCHEM\", \"TABLE_NAME\"";
        List<String> typeList = types == null ? null : Arrays.asList(types);
        return query(sql, pattern(schemaPattern), pattern(tableNamePattern), !otherCatalog(catalog), typeList, typeList);
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        return query("SELECT nspname::text AS \"TABLE_SCHEM\", current_database()::text AS \"TABLE_CATALOG\""
                + " FROM pg_catalog.pg_namespace WHERE nspname LIKE ? AND ? AND nspname !~ '^pg_(toast_)?temp_'"
                + " ORDER BY \"TABLE_SCHEM\"", pattern(schemaPattern), !otherCatalog(catalog));
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return query("SELECT current_database()::text AS \"TABLE_CAT\"");
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        return query("SELECT t AS \"TABLE_TYPE\" FROM unnest(ARRAY['FOREIGN TABLE', 'INDEX', 'MATERIALIZED VIEW',"
                + " 'PARTITIONED INDEX', 'PARTITIONED TABLE', 'SEQUENCE', 'SYSTEM INDEX', 'SYSTEM TABLE',"
                + " 'SYSTEM TOAST TABLE', 'SYSTEM VIEW', 'TABLE', 'TEMPORARY INDEX', 'TEMPORARY SEQUENCE',"
                + " 'TEMPORARY TABLE', 'TEMPORARY VIEW', 'TYPE', 'VIEW']) AS t ORDER BY 1");
    }

    /** SQL for the {@link java.sql.Types} code of type name {@code tn}, as {@link JdbcTypes#sqlType} maps it. */
    private static String sqlTypeCase(String tn) {
        StringBuilder b = new StringBuilder("CASE WHEN " + tn + " LIKE '\\_%' THEN " + java.sql.Types.ARRAY + " ELSE CASE " + tn);
        for (String name : new String[] {"bool", "int2", "int4", "int8", "oid", "float4", "float8", "money", "numeric", "text",
                "varchar", "name", "citext", "bpchar", "char", "bytea", "date", "time", "timetz", "timestamp", "timestamptz",
                "xml", "bit", "varbit"}) {
            b.append(" WHEN '").append(name).append("' THEN ").append(JdbcTypes.sqlType(name));
        }
        return b.append(" ELSE ").append(java.sql.Types.OTHER).append(" END END").toString();
    }

    private static final String COLUMN_SIZE = """
            CASE x.tn WHEN 'varchar' THEN CASE WHEN x.tm > 4 THEN x.tm - 4 ELSE 10485760 END
              WHEN 'bpchar' THEN CASE WHEN x.tm > 4 THEN x.tm - 4 ELSE 1 END
              WHEN 'numeric' THEN CASE WHEN x.tm > 4 THEN ((x.tm - 4) >> 16) & 65535 ELSE 1000 END
              WHEN 'int2' THEN 5 WHEN 'int4' THEN 10 WHEN 'int8' THEN 19 WHEN 'oid' THEN 10 WHEN 'float4' THEN 8
              WHEN 'float8' THEN 17 WHEN 'bool' THEN 1 WHEN 'date' THEN 13 WHEN 'time' THEN 15 WHEN 'timetz' THEN 21
              WHEN 'timestamp' THEN 29 WHEN 'timestamptz' THEN 35 WHEN 'uuid' THEN 36 WHEN 'char' THEN 1
              ELSE 2147483647 END""";

    private static final String DECIMAL_DIGITS = """
            CASE x.tn WHEN 'numeric' THEN CASE WHEN x.tm > 4 THEN (x.tm - 4) & 65535 ELSE 0 END
              WHEN 'time' THEN CASE WHEN x.tm >= 0 THEN x.tm ELSE 6 END WHEN 'timetz' THEN CASE WHEN x.tm >= 0 THEN x.tm ELSE 6 END
              WHEN 'timestamp' THEN CASE WHEN x.tm >= 0 THEN x.tm ELSE 6 END
              WHEN 'timestamptz' THEN CASE WHEN x.tm >= 0 THEN x.tm ELSE 6 END
              WHEN 'float4' THEN 8 WHEN 'float8' THEN 17 ELSE 0 END""";

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern)
            throws SQLException {
        String sql = "SELECT current_database()::text AS \"TABLE_CAT\", n.nspname::text AS \"TABLE_SCHEM\","
                + " c.relname::text AS \"TABLE_NAME\", a.attname::text AS \"COLUMN_NAME\", " + sqlTypeCase("x.tn") + " AS \"DATA_TYPE\","
                + " t.typname::text AS \"TYPE_NAME\", " + COLUMN_SIZE + " AS \"COLUMN_SIZE\", NULL::int AS \"BUFFER_LENGTH\", "
                + DECIMAL_DIGITS + " AS \"DECIMAL_DIGITS\", 10 AS \"NUM_PREC_RADIX\","
                + " CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 0 ELSE 1 END AS \"NULLABLE\","
                + " dsc.description AS \"REMARKS\", pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS \"COLUMN_DEF\","
                + " NULL::int AS \"SQL_DATA_TYPE\", NULL::int AS \"SQL_DATETIME_SUB\","
                + " CASE WHEN x.tn IN ('varchar', 'bpchar', 'text') THEN " + COLUMN_SIZE.replace("\n", " ") + " END AS \"CHAR_OCTET_LENGTH\","
                + " a.attnum::int AS \"ORDINAL_POSITION\","
                + " CASE WHEN a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) THEN 'NO' ELSE 'YES' END AS \"IS_NULLABLE\","
                + " NULL::text AS \"SCOPE_CATALOG\", NULL::text AS \"SCOPE_SCHEMA\", NULL::text AS \"SCOPE_TABLE\","
                + " NULL::int2 AS \"SOURCE_DATA_TYPE\","
                + " CASE WHEN a.attidentity IN ('a', 'd') OR pg_catalog.pg_get_expr(def.adbin, def.adrelid) LIKE 'nextval(%'"
                + " THEN 'YES' ELSE 'NO' END AS \"IS_AUTOINCREMENT\","
                + " CASE WHEN a.attgenerated <> '' THEN 'YES' ELSE 'NO' END AS \"IS_GENERATEDCOLUMN\""
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype"
                + " CROSS JOIN LATERAL (SELECT coalesce(bt.typname, t.typname)::text AS tn,"
                + " CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS tm) x"
                + " LEFT JOIN pg_catalog.pg_attrdef def ON def.adrelid = a.attrelid AND def.adnum = a.attnum"
                + " LEFT JOIN pg_catalog.pg_description dsc ON dsc.objoid = c.oid AND dsc.objsubid = a.attnum"
                + " AND dsc.classoid = 'pg_catalog.pg_class'::regclass"
                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                + " AND n.nspname LIKE ? AND c.relname LIKE ? AND a.attname LIKE ? AND ?"
                + " ORDER BY \"TABLE_SCHEM\", \"TABLE_NAME\", \"ORDINAL_POSITION\"";
        return query(sql, pattern(schemaPattern), pattern(tableNamePattern), pattern(columnNamePattern), !otherCatalog(catalog));
    }

    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        String sql = "SELECT current_database()::text AS \"TABLE_CAT\", n.nspname::text AS \"TABLE_SCHEM\","
                + " c.relname::text AS \"TABLE_NAME\", a.attname::text AS \"COLUMN_NAME\", k.ord::int2 AS \"KEY_SEQ\","
                + " con.conname::text AS \"PK_NAME\""
                + " FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                + " WHERE con.contype = 'p' AND (?::text IS NULL OR n.nspname = ?) AND (?::text IS NULL OR c.relname = ?) AND ?"
                + " ORDER BY \"COLUMN_NAME\"";
        return query(sql, schema, schema, table, table, !otherCatalog(catalog));
    }

    /** Foreign keys, one row per column pair; {@code where} filters on fn/fc (referencing) and pn/pc (referenced). */
    private ResultSet keys(String where, String orderBy, Object... args) throws SQLException {
        String rule = "CASE %s WHEN 'c' THEN 0 WHEN 'r' THEN 1 WHEN 'n' THEN 2 WHEN 'a' THEN 3 WHEN 'd' THEN 4 END::int2";
        String sql = "SELECT current_database()::text AS \"PKTABLE_CAT\", pn.nspname::text AS \"PKTABLE_SCHEM\","
                + " pc.relname::text AS \"PKTABLE_NAME\", pa.attname::text AS \"PKCOLUMN_NAME\","
                + " current_database()::text AS \"FKTABLE_CAT\", fn.nspname::text AS \"FKTABLE_SCHEM\","
                + " fc.relname::text AS \"FKTABLE_NAME\", fa.attname::text AS \"FKCOLUMN_NAME\", k.ord::int2 AS \"KEY_SEQ\", "
                + String.format(rule, "con.confupdtype") + " AS \"UPDATE_RULE\", "
                + String.format(rule, "con.confdeltype") + " AS \"DELETE_RULE\","
                + " con.conname::text AS \"FK_NAME\","
                + " (SELECT pk.conname::text FROM pg_catalog.pg_constraint pk WHERE pk.conrelid = con.confrelid"
                + " AND pk.conindid = con.conindid AND pk.contype IN ('p', 'u') LIMIT 1) AS \"PK_NAME\","
                + " CASE WHEN con.condeferrable AND con.condeferred THEN 5 WHEN con.condeferrable THEN 6 ELSE 7 END::int2"
                + " AS \"DEFERRABILITY\""
                + " FROM pg_catalog.pg_constraint con"
                + " JOIN pg_catalog.pg_class fc ON fc.oid = con.conrelid JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
                + " JOIN pg_catalog.pg_class pc ON pc.oid = con.confrelid JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
                + " CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(fk_attnum, pk_attnum, ord)"
                + " JOIN pg_catalog.pg_attribute fa ON fa.attrelid = fc.oid AND fa.attnum = k.fk_attnum"
                + " JOIN pg_catalog.pg_attribute pa ON pa.attrelid = pc.oid AND pa.attnum = k.pk_attnum"
                + " WHERE con.contype = 'f' AND " + where + " ORDER BY " + orderBy;
        return query(sql, args);
    }

    @Override
    public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        return keys("(?::text IS NULL OR fn.nspname = ?) AND fc.relname = ? AND ?",
                "\"PKTABLE_CAT\", \"PKTABLE_SCHEM\", \"PKTABLE_NAME\", \"KEY_SEQ\"",
                schema, schema, table, !otherCatalog(catalog));
    }

    @Override
    public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        return keys("(?::text IS NULL OR pn.nspname = ?) AND pc.relname = ? AND ?",
                "\"FKTABLE_CAT\", \"FKTABLE_SCHEM\", \"FKTABLE_NAME\", \"KEY_SEQ\"",
                schema, schema, table, !otherCatalog(catalog));
    }

    @Override
    public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable, String foreignCatalog,
                                       String foreignSchema, String foreignTable) throws SQLException {
        return keys("(?::text IS NULL OR pn.nspname = ?) AND pc.relname = ? AND (?::text IS NULL OR fn.nspname = ?)"
                        + " AND fc.relname = ? AND ?",
                "\"FKTABLE_CAT\", \"FKTABLE_SCHEM\", \"FKTABLE_NAME\", \"KEY_SEQ\"",
                parentSchema, parentSchema, parentTable, foreignSchema, foreignSchema, foreignTable,
                !otherCatalog(parentCatalog) && !otherCatalog(foreignCatalog));
    }

    @Override
    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
            throws SQLException {
        String sql = "SELECT current_database()::text AS \"TABLE_CAT\", n.nspname::text AS \"TABLE_SCHEM\","
                + " c.relname::text AS \"TABLE_NAME\", NOT i.indisunique AS \"NON_UNIQUE\", NULL::text AS \"INDEX_QUALIFIER\","
                + " ic.relname::text AS \"INDEX_NAME\", 3::int2 AS \"TYPE\", k.ord::int2 AS \"ORDINAL_POSITION\","
                + " CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, false)"
                + " ELSE a.attname::text END AS \"COLUMN_NAME\","
                + " CASE WHEN am.amname = 'btree' THEN CASE WHEN (i.indoption[k.ord - 1] & 1) = 1 THEN 'D' ELSE 'A' END END"
                + " AS \"ASC_OR_DESC\", greatest(ic.reltuples, 0)::int8 AS \"CARDINALITY\", ic.relpages::int8 AS \"PAGES\","
                + " pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS \"FILTER_CONDITION\""
                + " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
                + " JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
                + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                + " WHERE k.ord <= i.indnkeyatts AND (?::text IS NULL OR n.nspname = ?) AND c.relname = ?"
                + " AND (NOT ? OR i.indisunique) AND ?"
                + " ORDER BY \"NON_UNIQUE\", \"TYPE\", \"INDEX_NAME\", \"ORDINAL_POSITION\"";
        return query(sql, schema, schema, table, unique, !otherCatalog(catalog));
    }

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        String sql = "SELECT t.typname::text AS \"TYPE_NAME\", " + sqlTypeCase("t.typname::text") + " AS \"DATA_TYPE\","
                + " CASE t.typname WHEN 'int2' THEN 5 WHEN 'int4' THEN 10 WHEN 'int8' THEN 19 WHEN 'float4' THEN 8"
                + " WHEN 'float8' THEN 17 WHEN 'numeric' THEN 1000 WHEN 'varchar' THEN 10485760 WHEN 'bpchar' THEN 10485760"
                + " WHEN 'bool' THEN 1 WHEN 'date' THEN 13 WHEN 'time' THEN 15 WHEN 'timetz' THEN 21 WHEN 'timestamp' THEN 29"
                + " WHEN 'timestamptz' THEN 35 WHEN 'uuid' THEN 36 ELSE 0 END AS \"PRECISION\","
                + " CASE WHEN t.typcategory IN ('S', 'D', 'U', 'A') OR t.typname = 'uuid' THEN '''' END AS \"LITERAL_PREFIX\","
                + " CASE WHEN t.typcategory IN ('S', 'D', 'U', 'A') OR t.typname = 'uuid' THEN '''' END AS \"LITERAL_SUFFIX\","
                + " CASE t.typname WHEN 'varchar' THEN 'length' WHEN 'bpchar' THEN 'length' WHEN 'numeric' THEN 'precision,scale'"
                + " WHEN 'bit' THEN 'length' WHEN 'varbit' THEN 'length' WHEN 'time' THEN 'precision' WHEN 'timetz' THEN 'precision'"
                + " WHEN 'timestamp' THEN 'precision' WHEN 'timestamptz' THEN 'precision' END AS \"CREATE_PARAMS\","
                + " 1::int2 AS \"NULLABLE\", t.typcategory = 'S' AS \"CASE_SENSITIVE\", 3::int2 AS \"SEARCHABLE\","
                + " t.typcategory <> 'N' AS \"UNSIGNED_ATTRIBUTE\", t.typname = 'money' AS \"FIXED_PREC_SCALE\","
                + " false AS \"AUTO_INCREMENT\", t.typname::text AS \"LOCAL_TYPE_NAME\", 0::int2 AS \"MINIMUM_SCALE\","
                + " CASE t.typname WHEN 'numeric' THEN 1000 WHEN 'time' THEN 6 WHEN 'timetz' THEN 6 WHEN 'timestamp' THEN 6"
                + " WHEN 'timestamptz' THEN 6 ELSE 0 END::int2 AS \"MAXIMUM_SCALE\", NULL::int AS \"SQL_DATA_TYPE\","
                + " NULL::int AS \"SQL_DATETIME_SUB\", 10 AS \"NUM_PREC_RADIX\""
                + " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE t.typtype IN ('b', 'e', 'd', 'r', 'm') AND n.nspname <> 'information_schema'"
                + " AND t.typcategory <> 'P' ORDER BY \"DATA_TYPE\", \"TYPE_NAME\"";
        return query(sql);
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        return query("SELECT 'ApplicationName'::text AS \"NAME\", 63 AS \"MAX_LEN\", ''::text AS \"DEFAULT_VALUE\","
                + " 'the application_name the server reports in pg_stat_activity'::text AS \"DESCRIPTION\"");
    }

    // ---- what the driver does not describe ----

    @Override
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getProcedures: query pg_catalog.pg_proc");
    }

    @Override
    public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern,
                                         String columnNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getProcedureColumns: query pg_catalog.pg_proc");
    }

    @Override
    public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getFunctions: query pg_catalog.pg_proc");
    }

    @Override
    public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern,
                                        String columnNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getFunctionColumns: query pg_catalog.pg_proc");
    }

    @Override
    public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnNamePattern)
            throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getColumnPrivileges: query information_schema.column_privileges");
    }

    @Override
    public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getTablePrivileges: query information_schema.table_privileges");
    }

    @Override
    public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable)
            throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getBestRowIdentifier: use getPrimaryKeys");
    }

    @Override
    public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getVersionColumns: PostgreSQL updates no column by itself");
    }

    @Override
    public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getUDTs: query pg_catalog.pg_type");
    }

    @Override
    public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getSuperTypes: PostgreSQL has no type hierarchy");
    }

    @Override
    public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getSuperTables: query pg_catalog.pg_inherits");
    }

    @Override
    public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
                                   String attributeNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getAttributes: query pg_catalog.pg_attribute");
    }

    @Override
    public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tableNamePattern,
                                      String columnNamePattern) throws SQLException {
        throw Jdbc.unsupported("DatabaseMetaData.getPseudoColumns");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("this metadata does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
