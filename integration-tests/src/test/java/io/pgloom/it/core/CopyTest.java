package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.Row;
import io.pgloom.UniqueViolationException;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** COPY in both directions: records in binary, streams in text and CSV, and every way it can fail. */
class CopyTest {

    static PgConnection conn;

    @BeforeAll
    static void open() {
        conn = TestDb.connect();
        conn.execute("DROP TABLE IF EXISTS copy_items");
        conn.execute("CREATE TABLE copy_items(id int PRIMARY KEY, name text, price numeric, at timestamptz,"
                + " ok bool, ref uuid, doc jsonb)");
    }

    @AfterAll
    static void close() {
        conn.execute("DROP TABLE copy_items");
        conn.close();
    }

    @BeforeEach
    void clean() {
        conn.execute("TRUNCATE copy_items");
    }

    static long count() {
        return conn.fetchVal(Long.class, "SELECT count(*) FROM copy_items");
    }

    @Test
    void recordsGoInBinaryWithEveryColumnType() {
        List<Object[]> records = new ArrayList<>();
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 28, 12, 0, 0, 0, ZoneOffset.UTC);
        UUID ref = UUID.randomUUID();
        for (int i = 0; i < 10_000; i++) {
            records.add(new Object[]{i, "item 😀 " + i, new BigDecimal(i + ".25"), at.plusSeconds(i), i % 2 == 0,
                    i == 7 ? ref : null, "{\"n\": " + i + "}"});
        }
        assertThat(conn.copyRecordsToTable("copy_items", records)).isEqualTo(10_000);
        assertThat(count()).isEqualTo(10_000);
        Row seven = conn.fetchRow("SELECT * FROM copy_items WHERE id = $1", 7);
        assertThat(seven.get("name")).isEqualTo("item 😀 7");
        assertThat(seven.get("price")).isEqualTo(new BigDecimal("7.25"));
        assertThat(seven.get("at", OffsetDateTime.class)).isEqualTo(at.plusSeconds(7));
        assertThat(seven.get("ok")).isEqualTo(false);
        assertThat(seven.get("ref")).isEqualTo(ref);
        assertThat(seven.get("doc")).isEqualTo("{\"n\": 7}");
        assertThat(conn.fetchVal("SELECT ref FROM copy_items WHERE id = 8")).isNull();
    }

    @Test
    void recordsToChosenColumns() {
        assertThat(conn.copyRecordsToTable("copy_items", List.of(new Object[]{"b", 2}, new Object[]{"a", 1}),
                "name", "id")).isEqualTo(2);
        assertThat(conn.fetch("SELECT id, name FROM copy_items ORDER BY id"))
                .extracting(r -> r.get(0) + "=" + r.get(1)).containsExactly("1=a", "2=b");
    }

    @Test
    void aBadValueNamesItsRecordAndColumnAndCopiesNothing() {
        List<Object[]> records = List.of(new Object[]{1, "a"}, new Object[]{2, "b"}, new Object[]{"three", "c"});
        assertThatThrownBy(() -> conn.copyRecordsToTable("copy_items", records, "id", "name"))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("record 2").hasMessageContaining("\"id\"").hasMessageContaining("int4");
        assertThat(count()).isZero();
        assertThatThrownBy(() -> conn.copyRecordsToTable("copy_items", List.<Object[]>of(new Object[]{1}), "id", "name"))
                .isInstanceOf(PgException.class).hasMessageContaining("record 0 has 1 values");
        assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
    }

    @Test
    void csvFromAStreamInSeveralChunks() {
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 0; i < 200_000; i++) {
            csv.append(i).append(",\"name, ").append(i).append("\"\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isGreaterThan(60 * 64 * 1024); // dozens of CopyData chunks
        long rows = conn.copyToTable("\"copy_items\"(id, name)", new ByteArrayInputStream(bytes), "FORMAT csv", "HEADER true");
        assertThat(rows).isEqualTo(200_000);
        assertThat(conn.fetchVal("SELECT name FROM copy_items WHERE id = 199999")).isEqualTo("name, 199999");
    }

    @Test
    void aServerErrorDuringCopyRollsItBackAndTheConnectionGoesOn() {
        String csv = "1,a\n2,b\n1,duplicate\n";
        assertThatThrownBy(() -> conn.copyToTable("\"copy_items\"(id, name)",
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "FORMAT csv"))
                .isInstanceOf(UniqueViolationException.class);
        assertThat(count()).isZero();
        assertThatThrownBy(() -> conn.copyToTable("no_such_table", InputStream.nullInputStream()))
                .isInstanceOf(PgException.class).satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("42P01"));
        assertThat(conn.fetchVal("SELECT 2")).isEqualTo(2);
    }

    @Test
    void aFailingSourceSendsCopyFailAndKeepsTheConnection() {
        InputStream failing = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 100_000) {
                    return sent % 10 == 0 ? '\n' : '7';
                }
                throw new IOException("disk on fire");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = 0;
                while (n < len) {
                    b[off + n++] = (byte) read();
                }
                return n;
            }
        };
        assertThatThrownBy(() -> conn.copyToTable("\"copy_items\"(id)", failing))
                .isInstanceOf(PgException.class).hasMessageContaining("disk on fire");
        assertThat(count()).isZero();
        assertThat(conn.isClosed()).isFalse();
        assertThat(conn.fetchVal("SELECT 3")).isEqualTo(3);
    }

    @Test
    void tableAndQueryToAStream() {
        conn.copyRecordsToTable("copy_items", List.of(new Object[]{1, "a"}, new Object[]{2, "b,c"}), "id", "name");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(conn.copyFromTable("\"copy_items\"(id, name)", out, "FORMAT csv")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1,a\n2,\"b,c\"\n");
        ByteArrayOutputStream query = new ByteArrayOutputStream();
        assertThat(conn.copyFromQuery("SELECT g, g * 2 FROM generate_series(1, 3) g", query)).isEqualTo(3);
        assertThat(query.toString(StandardCharsets.UTF_8)).isEqualTo("1\t2\n2\t4\n3\t6\n");
        assertThatThrownBy(() -> conn.copyFromQuery("SELECT 1/0", new ByteArrayOutputStream()))
                .isInstanceOf(PgException.class).satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("22012"));
        assertThat(conn.fetchVal("SELECT 4")).isEqualTo(4);
    }

    @Test
    void copyInsideATransactionRollsBackWithIt() {
        try (var tx = conn.transaction()) {
            conn.copyRecordsToTable("copy_items", List.<Object[]>of(new Object[]{1, "a"}), "id", "name");
            assertThat(count()).isEqualTo(1);
        }
        assertThat(count()).isZero();
    }
}
