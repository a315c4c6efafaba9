package io.pgloom.it.core;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.SslMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 MB in one result over TLS from a real server: thousands of full records, read many at a
 * time and decrypted straight into the session's buffer. Every byte is checked, so a record
 * dropped, repeated or reordered by the TLS read path fails here.
 */
class TlsLargeResultTest {

    private static final int ROWS = 100;
    /** Each row's text: its number's md5 (32 hex digits) 32,768 times, 1 MiB. */
    private static final int REPEAT = 32_768;

    @Test
    void aHundredMegabyteResultArrivesIntactOverTls() throws Exception {
        try (PgConnection c = PgConnection.connect(TlsTest.scram().sslMode(SslMode.REQUIRE).build())) {
            assertThat(c.fetchVal(Boolean.class, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isTrue();
            List<Row> rows = c.fetch("SELECT i, repeat(md5(i::text), " + REPEAT + ") FROM generate_series(1, " + ROWS + ") i");
            assertThat(rows).hasSize(ROWS);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            long bytes = 0;
            for (int i = 1; i <= ROWS; i++) {
                Row row = rows.get(i - 1);
                assertThat(row.get(0, Integer.class)).isEqualTo(i);
                String text = row.get(1, String.class);
                String unit = HexFormat.of().formatHex(md5.digest(String.valueOf(i).getBytes(StandardCharsets.US_ASCII)));
                assertThat(text.length()).as("row %d's length", i).isEqualTo(32 * REPEAT);
                for (int at = 0; at < text.length(); at += 32) {
                    if (!text.startsWith(unit, at)) {
                        throw new AssertionError("row " + i + " differs at character " + at + ": "
                                + text.substring(at, at + 32) + " instead of " + unit);
                    }
                }
                bytes += text.length();
            }
            assertThat(bytes).isEqualTo(100L * 1024 * 1024);
            // The connection is still in step: a normal query after the big one.
            assertThat(c.fetchVal(Integer.class, "SELECT 42")).isEqualTo(42);
        }
    }
}
