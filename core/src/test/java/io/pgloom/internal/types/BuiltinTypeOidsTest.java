package io.pgloom.internal.types;

import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The generated pg_type table ({@link BuiltinTypeOids}) against what the codecs assume: every
 * OID a codec is registered for names the type that codec reads, arrays and ranges sit where
 * pg_type puts them, and a fixed-length type's codec reads exactly {@code typlen} bytes.
 */
class BuiltinTypeOidsTest {

    /** The types each built-in codec is written for. */
    private static final Map<Codec, Set<String>> NAMES_BY_CODEC = Map.ofEntries(
            entry(NumberCodecs.BOOL, Set.of("bool")),
            entry(NumberCodecs.INT2, Set.of("int2")),
            entry(NumberCodecs.INT4, Set.of("int4")),
            entry(NumberCodecs.INT8, Set.of("int8")),
            entry(NumberCodecs.OID, Set.of("oid")),
            entry(NumberCodecs.FLOAT4, Set.of("float4")),
            entry(NumberCodecs.FLOAT8, Set.of("float8")),
            entry(NumberCodecs.MONEY, Set.of("money")),
            entry(NumericCodec.INSTANCE, Set.of("numeric")),
            entry(TextCodecs.TEXT, Set.of("text", "name", "bpchar", "varchar", "unknown", "refcursor", "cstring")),
            entry(TextCodecs.JSON, Set.of("json")),
            entry(TextCodecs.JSONB, Set.of("jsonb")),
            entry(TextCodecs.XML, Set.of("xml")),
            entry(TextCodecs.CHAR, Set.of("char")),
            entry(TextCodecs.BYTEA, Set.of("bytea")),
            entry(TextCodecs.UUID_CODEC, Set.of("uuid")),
            entry(GeometryCodecs.POINT, Set.of("point")),
            entry(GeometryCodecs.LSEG, Set.of("lseg")),
            entry(GeometryCodecs.BOX, Set.of("box")),
            entry(GeometryCodecs.LINE, Set.of("line")),
            entry(GeometryCodecs.PATH, Set.of("path")),
            entry(GeometryCodecs.POLYGON, Set.of("polygon")),
            entry(GeometryCodecs.CIRCLE, Set.of("circle")),
            entry(NetworkCodecs.INET, Set.of("inet")),
            entry(NetworkCodecs.CIDR, Set.of("cidr")),
            entry(NetworkCodecs.MACADDR, Set.of("macaddr")),
            entry(NetworkCodecs.MACADDR8, Set.of("macaddr8")),
            entry(DateTimeCodecs.DATE, Set.of("date")),
            entry(DateTimeCodecs.TIME, Set.of("time")),
            entry(DateTimeCodecs.TIMETZ, Set.of("timetz")),
            entry(DateTimeCodecs.TIMESTAMP, Set.of("timestamp")),
            entry(DateTimeCodecs.TIMESTAMPTZ, Set.of("timestamptz")),
            entry(DateTimeCodecs.INTERVAL, Set.of("interval")),
            entry(MiscCodecs.BIT, Set.of("bit", "varbit")),
            entry(MiscCodecs.PG_LSN, Set.of("pg_lsn")));

    private final TypeRegistry registry = new TypeRegistry(null);

    @Test
    void everyRegisteredTypeIsInTheGeneratedTableUnderItsName() {
        int registered = 0;
        for (int oid = 0; oid < BuiltinTypes.LIMIT; oid++) {
            if (BuiltinTypes.NAMES[oid] == null) {
                continue;
            }
            registered++;
            assertThat(BuiltinTypeOids.exists(oid)).as("OID %d", oid).isTrue();
            assertThat(BuiltinTypes.NAMES[oid]).as("OID %d", oid).isEqualTo(BuiltinTypeOids.NAMES[oid]);
            assertThat(BuiltinTypes.ARRAY_OF[oid]).as("array of %s", BuiltinTypes.NAMES[oid])
                    .isEqualTo(BuiltinTypeOids.ARRAY_TYPES[oid]);
        }
        assertThat(registered).isGreaterThan(150);
    }

    @Test
    void everyBaseCodecIsRegisteredForTheTypesItIsWrittenFor() {
        List<String> wrong = new ArrayList<>();
        for (int oid = 0; oid < BuiltinTypes.LIMIT; oid++) {
            Codec codec = BuiltinTypes.CODECS[oid];
            if (codec == null || codec instanceof ArrayCodec || codec instanceof RangeCodec || codec instanceof MultirangeCodec) {
                continue;
            }
            Set<String> expected = NAMES_BY_CODEC.get(codec);
            if (expected == null || !expected.contains(BuiltinTypeOids.NAMES[oid])) {
                wrong.add(oid + " " + BuiltinTypeOids.NAMES[oid] + " has " + codec.accepts());
            }
        }
        assertThat(wrong).isEmpty();
        for (Map.Entry<Codec, Set<String>> e : NAMES_BY_CODEC.entrySet()) {
            for (String name : e.getValue()) {
                assertThat(BuiltinTypes.CODECS[oidOf(name)]).as(name).isSameAs(e.getKey());
            }
        }
    }

    @Test
    void arrayCodecsSitAtTheArrayTypesOfTheirElements() {
        int arrays = 0;
        for (int oid = 0; oid < BuiltinTypes.LIMIT; oid++) {
            if (BuiltinTypes.CODECS[oid] instanceof ArrayCodec a) {
                arrays++;
                assertThat(BuiltinTypeOids.ELEMENT_TYPES[oid]).as(BuiltinTypeOids.NAMES[oid]).isEqualTo(a.elementOid());
                assertThat(BuiltinTypeOids.ARRAY_TYPES[a.elementOid()]).as(BuiltinTypeOids.NAMES[oid]).isEqualTo(oid);
                // record[] is a pseudo-type, so pg_type.dat spells it out with category P
                assertThat(BuiltinTypeOids.CATEGORIES[oid]).as(BuiltinTypeOids.NAMES[oid]).isEqualTo(oid == BuiltinTypes.RECORD_ARRAY ? 'P' : 'A');
                assertThat(BuiltinTypeOids.NAMES[oid]).isEqualTo("_" + BuiltinTypeOids.NAMES[a.elementOid()]);
            }
        }
        assertThat(arrays).isGreaterThan(60);
        // record[] decodes through each registry's own anonymous record codec
        assertThat(BuiltinTypeOids.ELEMENT_TYPES[BuiltinTypes.RECORD_ARRAY]).isEqualTo(BuiltinTypes.RECORD);
        assertThat(registry.elementOid(BuiltinTypes.RECORD_ARRAY)).isEqualTo(BuiltinTypes.RECORD);
    }

    @Test
    void rangeCodecsSitAtRangeTypes() {
        for (int oid = 0; oid < BuiltinTypes.LIMIT; oid++) {
            Codec codec = BuiltinTypes.CODECS[oid];
            if (codec instanceof RangeCodec || codec instanceof MultirangeCodec) {
                assertThat(BuiltinTypeOids.CATEGORIES[oid]).as(BuiltinTypeOids.NAMES[oid]).isEqualTo('R');
                assertThat(BuiltinTypeOids.NAMES[oid].endsWith("multirange")).as(BuiltinTypeOids.NAMES[oid])
                        .isEqualTo(codec instanceof MultirangeCodec);
            }
        }
    }

    @Test
    void fixedLengthCodecsReadExactlyTyplenBytes() {
        int checked = 0;
        for (int oid = 0; oid < BuiltinTypes.LIMIT; oid++) {
            Codec codec = BuiltinTypes.CODECS[oid];
            int typlen = BuiltinTypeOids.LENGTHS[oid];
            // name is fixed-length on disk (NAMEDATALEN) but sent as its text
            if (codec == null || !codec.binary() || typlen <= 0 || oid == BuiltinTypes.NAME) {
                continue;
            }
            checked++;
            int type = oid;
            assertThat(registry.decode(type, 1, new byte[typlen], 0, typlen)).as(BuiltinTypeOids.NAMES[oid]).isNotNull();
            assertThatThrownBy(() -> registry.decode(type, 1, new byte[typlen + 1], 0, typlen + 1))
                    .as(BuiltinTypeOids.NAMES[oid]).isInstanceOf(PgException.class);
            if (oid != BuiltinTypes.CHAR) { // "char" reads no bytes as ""
                assertThatThrownBy(() -> registry.decode(type, 1, new byte[typlen - 1], 0, typlen - 1))
                        .as(BuiltinTypeOids.NAMES[oid]).isInstanceOf(PgException.class);
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void oidsAreTheOnesPostgresqlAssigned() {
        assertThat(BuiltinTypeOids.INT4).isEqualTo(23);
        assertThat(BuiltinTypeOids.INT4_ARRAY).isEqualTo(1007);
        assertThat(BuiltinTypeOids.RECORD_ARRAY).isEqualTo(2287);
        assertThat(BuiltinTypeOids.INT8MULTIRANGE_ARRAY).isEqualTo(6157);
        assertThat(BuiltinTypeOids.LENGTHS[BuiltinTypeOids.NAME]).isEqualTo((short) 64);
        assertThat(BuiltinTypeOids.CATEGORIES[BuiltinTypeOids.NUMERIC]).isEqualTo('N');
        int[] all = BuiltinTypeOids.all();
        for (int i = 0; i < all.length; i++) {
            assertThat(BuiltinTypeOids.exists(all[i])).isTrue();
            assertThat(i == 0 || all[i - 1] < all[i]).isTrue();
        }
        assertThat(BuiltinTypeOids.exists(BuiltinTypeOids.LIMIT)).isFalse();
        assertThat(BuiltinTypeOids.exists(-1)).isFalse();
    }

    static int oidOf(String name) {
        for (int oid : BuiltinTypeOids.all()) {
            if (name.equals(BuiltinTypeOids.NAMES[oid])) {
                return oid;
            }
        }
        throw new AssertionError("no type " + name);
    }
}
