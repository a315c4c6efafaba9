package io.pgloom.it.types;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.codec.TypeCodec;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * User codecs, as asyncpg's set_type_codec: text and binary, reaching arrays and composites of
 * the type, reset back to the default, and their errors reported with the parameter and type.
 */
class TypeCodecTest {

    /** Stands in for a JSON library's document type. */
    record Json(String raw) {
    }

    record UserId(long value) {
    }

    PgConnection conn;

    @BeforeEach
    void open() {
        conn = TestDb.connect();
    }

    @AfterEach
    void close() {
        conn.close();
    }

    @Test
    void textCodecForJsonb() {
        conn.setTypeCodec("jsonb", "pg_catalog", TypeCodec.text(Json.class, Json::raw, Json::new));
        assertThat(conn.fetchVal("SELECT '{\"a\": 1}'::jsonb")).isEqualTo(new Json("{\"a\": 1}"));
        assertThat(conn.fetchVal("SELECT ($1::jsonb)->>'b'", new Json("{\"b\": \"x\"}"))).isEqualTo("x");
        assertThat(conn.fetchVal("SELECT ARRAY['1'::jsonb, NULL]")).isEqualTo(java.util.Arrays.asList(new Json("1"), null));
        assertThatThrownBy(() -> conn.fetchVal("SELECT $1::jsonb", "{}"))
                .isInstanceOf(PgException.class).hasMessageContaining("$1").hasMessageContaining("jsonb");

        conn.resetTypeCodec("jsonb", "pg_catalog");
        assertThat(conn.fetchVal("SELECT '{\"a\": 1}'::jsonb")).isEqualTo("{\"a\": 1}");
    }

    @Test
    void binaryCodecFoundOnTheSearchPath() {
        conn.setTypeCodec("int8", null, TypeCodec.binary(UserId.class,
                id -> ByteBuffer.allocate(8).putLong(id.value()).array(),
                bytes -> new UserId(ByteBuffer.wrap(bytes).getLong())));
        assertThat(conn.fetchVal("SELECT 42::int8")).isEqualTo(new UserId(42));
        assertThat(conn.fetchVal("SELECT $1::int8 + 1", new UserId(41))).isEqualTo(new UserId(42));
        assertThat(conn.fetchVal("SELECT ARRAY[1, 2]::int8[]")).isEqualTo(List.of(new UserId(1), new UserId(2)));
        assertThat(((io.pgloom.Row) conn.fetchVal("SELECT ROW(7::int8)")).get(0)).isEqualTo(new UserId(7));
    }

    @Test
    void aFailingDecoderNamesTheType() {
        conn.setTypeCodec("json", "pg_catalog", TypeCodec.text(Object.class, Object::toString, text -> {
            throw new IllegalStateException("bad json");
        }));
        assertThatThrownBy(() -> conn.fetchRow("SELECT '1'::json AS doc").get(0))
                .isInstanceOf(PgException.class).hasMessageContaining("json").hasMessageContaining("bad json");
        assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
    }

    @Test
    void aCodecSetAfterAStatementWasCachedAppliesToIt() {
        assertThat(conn.fetchVal("SELECT $1::jsonb", "{}")).isEqualTo("{}");
        conn.setTypeCodec("jsonb", "pg_catalog", TypeCodec.text(Json.class, Json::raw, Json::new));
        assertThat(conn.fetchVal("SELECT $1::jsonb", new Json("{}"))).isEqualTo(new Json("{}"));
        conn.reloadSchemaState();
        assertThat(conn.fetchVal("SELECT $1::jsonb", new Json("[]"))).isEqualTo(new Json("[]"));
    }

    @Test
    void aPreparedQueryFollowsTheCodecsSetAndResetAfterIt() {
        try (io.pgloom.PreparedQuery q = conn.prepare("SELECT $1::jsonb AS doc, $2::int8 AS n")) {
            assertThat(q.fetchRow("{}", 1L).get("doc")).isEqualTo("{}");
            conn.setTypeCodec("jsonb", "pg_catalog", TypeCodec.text(Json.class, Json::raw, Json::new));
            io.pgloom.Row row = q.fetchRow(new Json("{\"a\": 1}"), 2L);
            assertThat(row.get("doc")).isEqualTo(new Json("{\"a\": 1}"));
            assertThat(row.get("n")).isEqualTo(2L);
            conn.setTypeCodec("int8", null, TypeCodec.binary(UserId.class,
                    id -> ByteBuffer.allocate(8).putLong(id.value()).array(),
                    bytes -> new UserId(ByteBuffer.wrap(bytes).getLong())));
            assertThat(q.fetchRow(new Json("[]"), new UserId(3)).get("n")).isEqualTo(new UserId(3));
            conn.resetTypeCodec("jsonb", "pg_catalog");
            conn.resetTypeCodec("int8", null);
            assertThat(q.fetchRow("[1]", 4L).get("doc")).isEqualTo("[1]");
            assertThat(q.fetchVal("[2]", 5L)).isEqualTo("[2]");
        }
    }

    @Test
    void anUnknownTypeNameIsAnError() {
        assertThatThrownBy(() -> conn.setTypeCodec("no_such_type", "public", TypeCodec.text(String.class, s -> s, s -> s)))
                .isInstanceOf(PgException.class).hasMessageContaining("no_such_type");
    }
}
