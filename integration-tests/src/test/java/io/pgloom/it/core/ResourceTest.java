package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Large and unusual values, and a long run on one connection. */
class ResourceTest {

    @Test
    void unicodeIncludingFourByteCharactersRoundTrips() {
        try (PgConnection conn = TestDb.connect()) {
            String text = "héllo wörld — 日本語 — 😀🎉𝄞 — \u0001";
            assertThat(conn.fetchVal("SELECT $1::text", text)).isEqualTo(text);
            assertThat(conn.fetchVal(Integer.class, "SELECT length($1::text)", text)).isEqualTo(text.codePointCount(0, text.length()));
            assertThat(conn.fetchVal("SELECT 'Grüße 😀'::text")).isEqualTo("Grüße 😀");
            conn.execute("CREATE TEMP TABLE \"tåble 😀\"(\"cölumn 😀\" text)");
            conn.execute("INSERT INTO \"tåble 😀\" VALUES ($1)", text);
            assertThat(conn.fetchRow("SELECT * FROM \"tåble 😀\"").get("cölumn 😀")).isEqualTo(text);
        }
    }

    @Test
    void oneMegabyteValuesBothWays() {
        try (PgConnection conn = TestDb.connect()) {
            byte[] bytes = new byte[1 << 20];
            new Random(7).nextBytes(bytes);
            assertThat((byte[]) conn.fetchVal("SELECT $1::bytea", (Object) bytes)).isEqualTo(bytes);
            char[] chars = new char[1 << 20];
            Arrays.fill(chars, 'ü');
            String big = new String(chars);
            assertThat(conn.fetchVal("SELECT $1::text", big)).isEqualTo(big);
            assertThat(conn.fetchVal(Integer.class, "SELECT octet_length(repeat('😀', 262144))")).isEqualTo(1 << 20);
            assertThat(((String) conn.fetchVal("SELECT repeat('😀', 262144)")).codePointCount(0, 524288)).isEqualTo(262144);
            // After the big values the buffers shrink back; ordinary queries go on.
            assertThat(conn.fetchVal("SELECT 1")).isEqualTo(1);
        }
    }

    @Test
    void tenThousandQueriesOnOneConnectionDoNotGrowTheHeap() {
        try (PgConnection conn = TestDb.connect()) {
            for (int i = 0; i < 1_000; i++) {
                conn.fetchVal("SELECT $1::int", i);
            }
            long before = usedHeapAfterGc();
            for (int i = 0; i < 10_000; i++) {
                assertThat(conn.fetchVal("SELECT $1::int + 1", i)).isEqualTo(i + 1);
                if (i % 100 == 0) {
                    conn.fetch("SELECT g, 'row ' || g FROM generate_series(1, 100) g");
                }
            }
            long after = usedHeapAfterGc();
            // Generous bound: a leak of even 1 KB per query would be 10 MB.
            assertThat(after - before).isLessThan(8L << 20);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
