package io.pgloom.internal.types;

/**
 * The built-in types: OIDs, names and codecs in arrays indexed by OID, so that finding a
 * built-in codec on the hot path is one array read.
 *
 * <p>OIDs and names come from PostgreSQL's {@code pg_type} (stable since they were assigned;
 * the multirange types arrived in 14). To check them against a server:
 * {@code SELECT oid, typname, typarray, typdelim FROM pg_type WHERE oid < 10000 AND typtype IN ('b','r','m','p') ORDER BY oid}.
 * A type listed without a codec travels in text and decodes to its text ({@code String}).
 */
final class BuiltinTypes {

    private BuiltinTypes() {
    }

    /** Every OID below this is assigned by PostgreSQL itself (FirstGenbkiObjectId). */
    static final int LIMIT = 10_000;

    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int CHAR = 18;
    static final int NAME = 19;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int JSON = 114;
    static final int XML = 142;
    static final int POINT = 600;
    static final int LSEG = 601;
    static final int PATH = 602;
    static final int BOX = 603;
    static final int POLYGON = 604;
    static final int LINE = 628;
    static final int CIDR = 650;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int UNKNOWN = 705;
    static final int CIRCLE = 718;
    static final int MACADDR8 = 774;
    static final int MONEY = 790;
    static final int MACADDR = 829;
    static final int INET = 869;
    static final int BPCHAR = 1042;
    static final int VARCHAR = 1043;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int INTERVAL = 1186;
    static final int TIMETZ = 1266;
    static final int BIT = 1560;
    static final int VARBIT = 1562;
    static final int NUMERIC = 1700;
    static final int RECORD = 2249;
    static final int RECORD_ARRAY = 2287;
    static final int UUID = 2950;
    static final int PG_LSN = 3220;
    static final int JSONB = 3802;
    static final int INT4RANGE = 3904;
    static final int NUMRANGE = 3906;
    static final int TSRANGE = 3908;
    static final int TSTZRANGE = 3910;
    static final int DATERANGE = 3912;
    static final int INT8RANGE = 3926;
    static final int INT4MULTIRANGE = 4451;
    static final int NUMMULTIRANGE = 4532;
    static final int TSMULTIRANGE = 4533;
    static final int TSTZMULTIRANGE = 4534;
    static final int DATEMULTIRANGE = 4535;
    static final int INT8MULTIRANGE = 4536;

    static final Codec[] CODECS = new Codec[LIMIT];
    static final String[] NAMES = new String[LIMIT];
    /** For an element type, its array type's OID; 0 when none. */
    static final int[] ARRAY_OF = new int[LIMIT];

    static {
        type(BOOL, "bool", 1000, NumberCodecs.BOOL);
        type(BYTEA, "bytea", 1001, TextCodecs.BYTEA);
        type(CHAR, "char", 1002, TextCodecs.CHAR);
        type(NAME, "name", 1003, TextCodecs.TEXT);
        type(INT8, "int8", 1016, NumberCodecs.INT8);
        type(INT2, "int2", 1005, NumberCodecs.INT2);
        type(22, "int2vector", 1006, null);
        type(INT4, "int4", 1007, NumberCodecs.INT4);
        type(24, "regproc", 1008, null);
        type(TEXT, "text", 1009, TextCodecs.TEXT);
        type(OID, "oid", 1028, NumberCodecs.OID);
        type(27, "tid", 1010, null);
        type(28, "xid", 1011, null);
        type(29, "cid", 1012, null);
        type(30, "oidvector", 1013, null);
        type(JSON, "json", 199, TextCodecs.JSON);
        type(XML, "xml", 143, TextCodecs.XML);
        type(194, "pg_node_tree", 0, null);
        type(POINT, "point", 1017, GeometryCodecs.POINT);
        type(LSEG, "lseg", 1018, GeometryCodecs.LSEG);
        type(PATH, "path", 1019, GeometryCodecs.PATH);
        type(BOX, "box", 1020, GeometryCodecs.BOX);
        type(POLYGON, "polygon", 1027, GeometryCodecs.POLYGON);
        type(LINE, "line", 629, GeometryCodecs.LINE);
        type(CIDR, "cidr", 651, NetworkCodecs.CIDR);
        type(FLOAT4, "float4", 1021, NumberCodecs.FLOAT4);
        type(FLOAT8, "float8", 1022, NumberCodecs.FLOAT8);
        type(UNKNOWN, "unknown", 0, TextCodecs.TEXT);
        type(CIRCLE, "circle", 719, GeometryCodecs.CIRCLE);
        type(MACADDR8, "macaddr8", 775, NetworkCodecs.MACADDR8);
        type(MONEY, "money", 791, NumberCodecs.MONEY);
        type(MACADDR, "macaddr", 1040, NetworkCodecs.MACADDR);
        type(INET, "inet", 1041, NetworkCodecs.INET);
        type(1033, "aclitem", 1034, null);
        type(BPCHAR, "bpchar", 1014, TextCodecs.TEXT);
        type(VARCHAR, "varchar", 1015, TextCodecs.TEXT);
        type(DATE, "date", 1182, DateTimeCodecs.DATE);
        type(TIME, "time", 1183, DateTimeCodecs.TIME);
        type(TIMESTAMP, "timestamp", 1115, DateTimeCodecs.TIMESTAMP);
        type(TIMESTAMPTZ, "timestamptz", 1185, DateTimeCodecs.TIMESTAMPTZ);
        type(INTERVAL, "interval", 1187, DateTimeCodecs.INTERVAL);
        type(TIMETZ, "timetz", 1270, DateTimeCodecs.TIMETZ);
        type(BIT, "bit", 1561, MiscCodecs.BIT);
        type(VARBIT, "varbit", 1563, MiscCodecs.BIT);
        type(NUMERIC, "numeric", 1231, NumericCodec.INSTANCE);
        type(1790, "refcursor", 2201, TextCodecs.TEXT);
        type(2202, "regprocedure", 2207, null);
        type(2203, "regoper", 2208, null);
        type(2204, "regoperator", 2209, null);
        type(2205, "regclass", 2210, null);
        type(2206, "regtype", 2211, null);
        type(RECORD, "record", RECORD_ARRAY, null); // each registry has its own: fields decode with its codecs
        type(2275, "cstring", 1263, TextCodecs.TEXT);
        type(2276, "any", 0, null);
        type(2277, "anyarray", 0, null);
        type(2278, "void", 0, null);
        type(2283, "anyelement", 0, null);
        type(UUID, "uuid", 2951, TextCodecs.UUID_CODEC);
        type(2970, "txid_snapshot", 2949, null);
        type(PG_LSN, "pg_lsn", 3221, MiscCodecs.PG_LSN);
        type(3614, "tsvector", 3643, null);
        type(3615, "tsquery", 3645, null);
        type(3642, "gtsvector", 3644, null);
        type(3734, "regconfig", 3735, null);
        type(3769, "regdictionary", 3770, null);
        type(JSONB, "jsonb", 3807, TextCodecs.JSONB);
        type(4072, "jsonpath", 4073, null);
        type(4089, "regnamespace", 4090, null);
        type(4096, "regrole", 4097, null);
        type(4191, "regcollation", 4192, null);
        type(5038, "pg_snapshot", 5039, null);
        type(5069, "xid8", 271, null);
        range(INT4RANGE, "int4range", 3905, INT4, INT4MULTIRANGE, "int4multirange", 6150);
        range(NUMRANGE, "numrange", 3907, NUMERIC, NUMMULTIRANGE, "nummultirange", 6151);
        range(TSRANGE, "tsrange", 3909, TIMESTAMP, TSMULTIRANGE, "tsmultirange", 6152);
        range(TSTZRANGE, "tstzrange", 3911, TIMESTAMPTZ, TSTZMULTIRANGE, "tstzmultirange", 6153);
        range(DATERANGE, "daterange", 3913, DATE, DATEMULTIRANGE, "datemultirange", 6155);
        range(INT8RANGE, "int8range", 3927, INT8, INT8MULTIRANGE, "int8multirange", 6157);
    }

    /** A base type and its array type (with the text codec's fallback when a type has no codec). */
    private static void type(int oid, String name, int arrayOid, Codec codec) {
        NAMES[oid] = name;
        CODECS[oid] = codec;
        if (arrayOid != 0) {
            ARRAY_OF[oid] = arrayOid;
            NAMES[arrayOid] = "_" + name;
            Codec element = codec != null ? codec : TextOnlyCodec.INSTANCE;
            CODECS[arrayOid] = new ArrayCodec(oid, name, element, oid == BOX ? ';' : ',');
        }
    }

    private static void range(int oid, String name, int arrayOid, int subtype,
                              int multiOid, String multiName, int multiArrayOid) {
        RangeCodec range = new RangeCodec(name, CODECS[subtype]);
        type(oid, name, arrayOid, range);
        type(multiOid, multiName, multiArrayOid, new MultirangeCodec(multiName, range));
    }

    static boolean isBuiltin(int oid) {
        return oid >= 0 && oid < LIMIT && NAMES[oid] != null;
    }
}
