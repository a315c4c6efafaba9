package io.pgloom.it.types;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgMultirange;
import io.pgloom.PgRange;
import io.pgloom.Row;
import io.pgloom.internal.client.ClientConnection;
import io.pgloom.internal.types.RecordMapper;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Types learned from the catalogs: enums, domains, composites (to Rows and records), user
 * ranges and multiranges, arrays of all of them, and the hstore and citext extensions.
 */
class LearnedTypesTest {

    enum Mood { SAD, OK, HAPPY }

    record Address(String street, int zip) {
    }

    record Person(String name, Address home, Address[] previous, Mood mood) {
    }

    record Strict(int id, String missingColumn) {
    }

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
        conn.execute("""
                DROP SCHEMA IF EXISTS lt CASCADE;
                CREATE SCHEMA lt;
                CREATE TYPE lt.mood AS ENUM ('sad', 'ok', 'happy');
                CREATE DOMAIN lt.posint AS int4 CHECK (VALUE > 0);
                CREATE TYPE lt.address AS (street text, zip int4);
                CREATE TYPE lt.person AS (name text, home lt.address, previous lt.address[], mood lt.mood);
                CREATE TYPE lt.floatrange AS RANGE (subtype = float8);
                """);
    }

    @AfterAll
    static void close() {
        conn.execute("DROP SCHEMA lt CASCADE");
        conn.close();
    }

    @Test
    void enumsAreStringsOrJavaEnums() {
        assertThat(conn.fetchVal("SELECT 'happy'::lt.mood")).isEqualTo("happy");
        assertThat(conn.fetchRow("SELECT 'happy'::lt.mood").get(0, Mood.class)).isEqualTo(Mood.HAPPY);
        assertThat(conn.fetchVal("SELECT $1::lt.mood", Mood.SAD)).isEqualTo("sad");
        assertThat(conn.fetchVal("SELECT $1::lt.mood::text", "ok")).isEqualTo("ok");
        assertThat(conn.fetchVal("SELECT ARRAY['sad', NULL, 'ok']::lt.mood[]")).isEqualTo(Arrays.asList("sad", null, "ok"));
        assertThat(conn.fetchRow("SELECT ARRAY['sad', 'ok']::lt.mood[]").get(0, Mood[].class)).containsExactly(Mood.SAD, Mood.OK);
    }

    @Test
    void domainsAreTheirBaseType() {
        assertThat(conn.fetchVal("SELECT 5::lt.posint")).isEqualTo(5);
        assertThat(conn.fetchVal("SELECT $1::lt.posint + 1", 41)).isEqualTo(42);
        assertThat(conn.fetchVal("SELECT ARRAY[1, 2]::lt.posint[]")).isEqualTo(List.of(1, 2));
    }

    @Test
    void compositesAreRowsAndMapToRecords() {
        Row person = (Row) conn.fetchVal("""
                SELECT ROW('Ann', ROW('Main St', 12345)::lt.address,
                           ARRAY[ROW('Old Rd', 1)::lt.address, NULL], 'happy')::lt.person""");
        assertThat(person.get("name")).isEqualTo("Ann");
        assertThat(((Row) person.get("home")).get("zip")).isEqualTo(12345);
        assertThat(person.columns().stream().map(c -> c.name()).toList()).containsExactly("name", "home", "previous", "mood");

        Person mapped = conn.fetchRow("SELECT ROW('Ann', ROW('Main St', 12345)::lt.address, ARRAY[ROW('Old Rd', 1)::lt.address], 'happy')::lt.person")
                .get(0, Person.class);
        assertThat(mapped.name()).isEqualTo("Ann");
        assertThat(mapped.home()).isEqualTo(new Address("Main St", 12345));
        assertThat(mapped.previous()).containsExactly(new Address("Old Rd", 1));
        assertThat(mapped.mood()).isEqualTo(Mood.HAPPY);

        Row sent = (Row) conn.fetchVal("SELECT $1::lt.address", new Address("A \"quoted\", (street)", 7));
        assertThat(sent.get("street")).isEqualTo("A \"quoted\", (street)");
        assertThat(conn.fetchVal("SELECT ($1::lt.address).zip", Map.of("street", "x", "zip", 9))).isEqualTo(9);
        assertThat(conn.fetchVal("SELECT ($1::lt.address).street", List.of("by position", 1))).isEqualTo("by position");
    }

    @Test
    void anonymousRecordsDecodeFromTheOidsTheyCarry() {
        Row r = (Row) conn.fetchVal("SELECT ROW(1, 'two', NULL::date, ARRAY[3.5])");
        assertThat(r.get(0)).isEqualTo(1);
        assertThat(r.get(1)).isEqualTo("two");
        assertThat(r.get(2)).isNull();
        assertThat(r.get(3)).isEqualTo(List.of(new BigDecimal("3.5")));
        assertThat(conn.fetchVal("SELECT ARRAY[ROW(1, 'a'), ROW(2, 'b')]")).asList().hasSize(2);
    }

    @Test
    void rowsMapToRecordsByColumnName() {
        record Account(int id, String fullName, LocalDate openedOn) {
        }
        Row row = conn.fetchRow("SELECT 7 AS id, 'Ann Lee' AS full_name, DATE '2024-01-02' AS opened_on, 'extra' AS ignored");
        assertThat(RecordMapper.map(row, Account.class)).isEqualTo(new Account(7, "Ann Lee", LocalDate.of(2024, 1, 2)));
        assertThatThrownBy(() -> RecordMapper.map(row, Strict.class))
                .isInstanceOf(PgException.class).hasMessageContaining("missingColumn");
        record Nulls(int id) {
        }
        assertThatThrownBy(() -> RecordMapper.map(conn.fetchRow("SELECT NULL::int AS id"), Nulls.class))
                .hasMessageContaining("Nulls.id").hasMessageContaining("NULL");
        record Mistyped(LocalDate id) {
        }
        assertThatThrownBy(() -> RecordMapper.map(row, Mistyped.class))
                .hasMessageContaining("Mistyped.id").hasMessageContaining("LocalDate");
    }

    @Test
    void userRangesAndMultiranges() {
        assertThat(conn.fetchVal("SELECT lt.floatrange(1.5, 2.5)")).isEqualTo(PgRange.closedOpen(1.5, 2.5));
        assertThat(conn.fetchVal("SELECT $1::lt.floatrange", PgRange.of(null, false, 3.0, true))).isEqualTo(PgRange.of(null, false, 3.0, true));
        Assumptions.assumeTrue(conn.serverVersion() >= 140000, "multiranges arrived in PostgreSQL 14");
        assertThat(conn.fetchVal("SELECT lt.floatmultirange(lt.floatrange(1, 2), lt.floatrange(3, 4))"))
                .isEqualTo(new PgMultirange<>(List.of(PgRange.closedOpen(1.0, 2.0), PgRange.closedOpen(3.0, 4.0))));
    }

    @Test
    void arraysKeepNullsAndDimensionsAndConvertToJavaArrays() {
        assertThat(conn.fetchVal("SELECT ARRAY[[[1,2],[3,NULL]],[[5,6],[7,8]],[[9,10],[11,12]]]"))
                .isEqualTo(List.of(List.of(List.of(1, 2), Arrays.asList(3, null)), List.of(List.of(5, 6), List.of(7, 8)),
                        List.of(List.of(9, 10), List.of(11, 12))));
        assertThat(conn.fetchVal("SELECT '{}'::int4[]")).isEqualTo(List.of());
        assertThat(conn.fetchVal("SELECT '[0:2]={1,2,3}'::int4[]")).isEqualTo(List.of(1, 2, 3));
        Row row = conn.fetchRow("SELECT ARRAY[1,2,3], ARRAY[[1,2],[3,4]]::int8[], ARRAY['a', NULL], ARRAY[1, NULL]");
        assertThat(row.get(0, int[].class)).containsExactly(1, 2, 3);
        assertThat(row.get(0, long[].class)).containsExactly(1L, 2L, 3L);
        assertThat(row.get(1, long[][].class)).isDeepEqualTo(new long[][] {{1, 2}, {3, 4}});
        assertThat(row.get(2, String[].class)).containsExactly("a", null);
        assertThat(row.get(3, Integer[].class)).containsExactly(1, null);
        assertThatThrownBy(() -> row.get(3, int[].class)).hasMessageContaining("NULL");
        assertThat(conn.fetchVal("SELECT $1::int8[]", new long[] {1, 2})).isEqualTo(List.of(1L, 2L));
        assertThat(conn.fetchVal("SELECT $1::int4[]", (Object) new Integer[] {1, null})).isEqualTo(Arrays.asList(1, null));
        assertThat(conn.fetchVal("SELECT $1::text[]", (Object) new String[][] {{"a", "b"}, {"c", "d"}}))
                .isEqualTo(List.of(List.of("a", "b"), List.of("c", "d")));
        assertThat(conn.fetchVal("SELECT array_length($1::int4[], 1)", List.of())).isNull();
    }

    @Test
    void hstoreAndCitextWhenTheExtensionsExist() {
        boolean hstore = conn.fetchVal(Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hstore')");
        boolean citext = conn.fetchVal(Boolean.class, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'citext')");
        Assumptions.assumeTrue(hstore && citext, "the server has no hstore/citext extension");
        conn.execute("CREATE EXTENSION IF NOT EXISTS hstore; CREATE EXTENSION IF NOT EXISTS citext");
        Map<String, String> map = new LinkedHashMap<>();
        map.put("a", "1");
        map.put("b \"q\"", null);
        assertThat(conn.fetchVal("SELECT $1::hstore", map)).isEqualTo(map);
        assertThat(conn.fetchVal("SELECT 'x=>y, z=>NULL'::hstore")).isEqualTo(new LinkedHashMap<>(Map.of("x", "y")) {
            {
                put("z", null);
            }
        });
        assertThat(conn.fetchVal("SELECT 'MiXeD'::citext")).isEqualTo("MiXeD");
        assertThat(conn.fetchVal(Boolean.class, "SELECT $1::citext = 'mixed'", "MIXED")).isTrue();
    }

    @Test
    void aPoolSharesWhatOneConnectionLearned() {
        try (PgConnection other = TestDb.connect()) {
            ((ClientConnection) other).types().learn(new int[] {0}, other::fetch); // nothing to learn: no query
            assertThat(other.fetchVal("SELECT 'ok'::lt.mood")).isEqualTo("ok");
            assertThat(((ClientConnection) other).types().isKnown(conn.fetchVal(Long.class, "SELECT 'lt.mood'::regtype::oid").intValue()))
                    .isTrue();
        }
    }
}
