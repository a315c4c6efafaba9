package io.pgloom.internal.types;

/**
 * The built-in types: OIDs, names and codecs in arrays indexed by OID, so that finding a
 * built-in codec on the hot path is one array read.
 *
 * <p>OIDs, names and array types come from {@link BuiltinTypeOids}, generated from PostgreSQL's
 * {@code pg_type.dat} by {@code core/src/build/generate-builtin-types.py}; this class says only
 * which of them pgloom registers, with which codec, and which range goes with which subtype.
 * A type listed without a codec travels in text and decodes to its text ({@code String}).
 */
final class BuiltinTypes {

    private BuiltinTypes() {
    }

    /** Every OID below this is assigned by PostgreSQL itself (FirstGenbkiObjectId). */
    static final int LIMIT = BuiltinTypeOids.LIMIT;

    static final int BOOL = BuiltinTypeOids.BOOL;
    static final int BYTEA = BuiltinTypeOids.BYTEA;
    static final int CHAR = BuiltinTypeOids.CHAR;
    static final int NAME = BuiltinTypeOids.NAME;
    static final int INT8 = BuiltinTypeOids.INT8;
    static final int INT2 = BuiltinTypeOids.INT2;
    static final int INT4 = BuiltinTypeOids.INT4;
    static final int TEXT = BuiltinTypeOids.TEXT;
    static final int OID = BuiltinTypeOids.OID;
    static final int JSON = BuiltinTypeOids.JSON;
    static final int XML = BuiltinTypeOids.XML;
    static final int POINT = BuiltinTypeOids.POINT;
    static final int LSEG = BuiltinTypeOids.LSEG;
    static final int PATH = BuiltinTypeOids.PATH;
    static final int BOX = BuiltinTypeOids.BOX;
    static final int POLYGON = BuiltinTypeOids.POLYGON;
    static final int LINE = BuiltinTypeOids.LINE;
    static final int CIDR = BuiltinTypeOids.CIDR;
    static final int FLOAT4 = BuiltinTypeOids.FLOAT4;
    static final int FLOAT8 = BuiltinTypeOids.FLOAT8;
    static final int UNKNOWN = BuiltinTypeOids.UNKNOWN;
    static final int CIRCLE = BuiltinTypeOids.CIRCLE;
    static final int MACADDR8 = BuiltinTypeOids.MACADDR8;
    static final int MONEY = BuiltinTypeOids.MONEY;
    static final int MACADDR = BuiltinTypeOids.MACADDR;
    static final int INET = BuiltinTypeOids.INET;
    static final int BPCHAR = BuiltinTypeOids.BPCHAR;
    static final int VARCHAR = BuiltinTypeOids.VARCHAR;
    static final int DATE = BuiltinTypeOids.DATE;
    static final int TIME = BuiltinTypeOids.TIME;
    static final int TIMESTAMP = BuiltinTypeOids.TIMESTAMP;
    static final int TIMESTAMPTZ = BuiltinTypeOids.TIMESTAMPTZ;
    static final int INTERVAL = BuiltinTypeOids.INTERVAL;
    static final int TIMETZ = BuiltinTypeOids.TIMETZ;
    static final int BIT = BuiltinTypeOids.BIT;
    static final int VARBIT = BuiltinTypeOids.VARBIT;
    static final int NUMERIC = BuiltinTypeOids.NUMERIC;
    static final int RECORD = BuiltinTypeOids.RECORD;
    static final int RECORD_ARRAY = BuiltinTypeOids.RECORD_ARRAY;
    static final int UUID = BuiltinTypeOids.UUID;
    static final int PG_LSN = BuiltinTypeOids.PG_LSN;
    static final int JSONB = BuiltinTypeOids.JSONB;
    static final int INT4RANGE = BuiltinTypeOids.INT4RANGE;
    static final int NUMRANGE = BuiltinTypeOids.NUMRANGE;
    static final int TSRANGE = BuiltinTypeOids.TSRANGE;
    static final int TSTZRANGE = BuiltinTypeOids.TSTZRANGE;
    static final int DATERANGE = BuiltinTypeOids.DATERANGE;
    static final int INT8RANGE = BuiltinTypeOids.INT8RANGE;
    static final int INT4MULTIRANGE = BuiltinTypeOids.INT4MULTIRANGE;
    static final int NUMMULTIRANGE = BuiltinTypeOids.NUMMULTIRANGE;
    static final int TSMULTIRANGE = BuiltinTypeOids.TSMULTIRANGE;
    static final int TSTZMULTIRANGE = BuiltinTypeOids.TSTZMULTIRANGE;
    static final int DATEMULTIRANGE = BuiltinTypeOids.DATEMULTIRANGE;
    static final int INT8MULTIRANGE = BuiltinTypeOids.INT8MULTIRANGE;

    static final Codec[] CODECS = new Codec[LIMIT];
    static final String[] NAMES = new String[LIMIT];
    /** For an element type, its array type's OID; 0 when none. */
    static final int[] ARRAY_OF = new int[LIMIT];

    static {
        type(BOOL, NumberCodecs.BOOL);
        type(BYTEA, TextCodecs.BYTEA);
        type(CHAR, TextCodecs.CHAR);
        type(NAME, TextCodecs.TEXT);
        type(INT8, NumberCodecs.INT8);
        type(INT2, NumberCodecs.INT2);
        type(BuiltinTypeOids.INT2VECTOR, null);
        type(INT4, NumberCodecs.INT4);
        type(BuiltinTypeOids.REGPROC, null);
        type(TEXT, TextCodecs.TEXT);
        type(OID, NumberCodecs.OID);
        type(BuiltinTypeOids.TID, null);
        type(BuiltinTypeOids.XID, null);
        type(BuiltinTypeOids.CID, null);
        type(BuiltinTypeOids.OIDVECTOR, null);
        type(JSON, TextCodecs.JSON);
        type(XML, TextCodecs.XML);
        type(BuiltinTypeOids.PG_NODE_TREE, null);
        type(POINT, GeometryCodecs.POINT);
        type(LSEG, GeometryCodecs.LSEG);
        type(PATH, GeometryCodecs.PATH);
        type(BOX, GeometryCodecs.BOX);
        type(POLYGON, GeometryCodecs.POLYGON);
        type(LINE, GeometryCodecs.LINE);
        type(CIDR, NetworkCodecs.CIDR);
        type(FLOAT4, NumberCodecs.FLOAT4);
        type(FLOAT8, NumberCodecs.FLOAT8);
        type(UNKNOWN, TextCodecs.TEXT);
        type(CIRCLE, GeometryCodecs.CIRCLE);
        type(MACADDR8, NetworkCodecs.MACADDR8);
        type(MONEY, NumberCodecs.MONEY);
        type(MACADDR, NetworkCodecs.MACADDR);
        type(INET, NetworkCodecs.INET);
        type(BuiltinTypeOids.ACLITEM, null);
        type(BPCHAR, TextCodecs.TEXT);
        type(VARCHAR, TextCodecs.TEXT);
        type(DATE, DateTimeCodecs.DATE);
        type(TIME, DateTimeCodecs.TIME);
        type(TIMESTAMP, DateTimeCodecs.TIMESTAMP);
        type(TIMESTAMPTZ, DateTimeCodecs.TIMESTAMPTZ);
        type(INTERVAL, DateTimeCodecs.INTERVAL);
        type(TIMETZ, DateTimeCodecs.TIMETZ);
        type(BIT, MiscCodecs.BIT);
        type(VARBIT, MiscCodecs.BIT);
        type(NUMERIC, NumericCodec.INSTANCE);
        type(BuiltinTypeOids.REFCURSOR, TextCodecs.TEXT);
        type(BuiltinTypeOids.REGPROCEDURE, null);
        type(BuiltinTypeOids.REGOPER, null);
        type(BuiltinTypeOids.REGOPERATOR, null);
        type(BuiltinTypeOids.REGCLASS, null);
        type(BuiltinTypeOids.REGTYPE, null);
        type(RECORD, null); // each registry has its own: fields decode with its codecs
        type(BuiltinTypeOids.CSTRING, TextCodecs.TEXT);
        type(BuiltinTypeOids.ANY, null);
        type(BuiltinTypeOids.ANYARRAY, null);
        type(BuiltinTypeOids.VOID, null);
        type(BuiltinTypeOids.ANYELEMENT, null);
        type(UUID, TextCodecs.UUID_CODEC);
        type(BuiltinTypeOids.TXID_SNAPSHOT, null);
        type(PG_LSN, MiscCodecs.PG_LSN);
        type(BuiltinTypeOids.TSVECTOR, null);
        type(BuiltinTypeOids.TSQUERY, null);
        type(BuiltinTypeOids.GTSVECTOR, null);
        type(BuiltinTypeOids.REGCONFIG, null);
        type(BuiltinTypeOids.REGDICTIONARY, null);
        type(JSONB, TextCodecs.JSONB);
        type(BuiltinTypeOids.JSONPATH, null);
        type(BuiltinTypeOids.REGNAMESPACE, null);
        type(BuiltinTypeOids.REGROLE, null);
        type(BuiltinTypeOids.REGCOLLATION, null);
        type(BuiltinTypeOids.PG_SNAPSHOT, null);
        type(BuiltinTypeOids.XID8, null);
        range(INT4RANGE, INT4, INT4MULTIRANGE);
        range(NUMRANGE, NUMERIC, NUMMULTIRANGE);
        range(TSRANGE, TIMESTAMP, TSMULTIRANGE);
        range(TSTZRANGE, TIMESTAMPTZ, TSTZMULTIRANGE);
        range(DATERANGE, DATE, DATEMULTIRANGE);
        range(INT8RANGE, INT8, INT8MULTIRANGE);
    }

    /**
     * A base type and its array type (with the text codec's fallback when a type has no codec),
     * named and linked as {@link BuiltinTypeOids} says.
     */
    private static void type(int oid, Codec codec) {
        String name = BuiltinTypeOids.NAMES[oid];
        int arrayOid = BuiltinTypeOids.ARRAY_TYPES[oid];
        NAMES[oid] = name;
        CODECS[oid] = codec;
        if (arrayOid != 0) {
            ARRAY_OF[oid] = arrayOid;
            NAMES[arrayOid] = BuiltinTypeOids.NAMES[arrayOid];
            Codec element = codec != null ? codec : TextOnlyCodec.INSTANCE;
            CODECS[arrayOid] = new ArrayCodec(oid, name, element, oid == BOX ? ';' : ',');
        }
    }

    /** A range type over subtype and its multirange type (pg_range, which pg_type does not say). */
    private static void range(int oid, int subtype, int multiOid) {
        RangeCodec range = new RangeCodec(BuiltinTypeOids.NAMES[oid], CODECS[subtype]);
        type(oid, range);
        type(multiOid, new MultirangeCodec(BuiltinTypeOids.NAMES[multiOid], range));
    }

    static boolean isBuiltin(int oid) {
        return oid >= 0 && oid < LIMIT && NAMES[oid] != null;
    }
}
