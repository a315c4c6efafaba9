package io.pgloom.it.cursor;

import io.pgloom.it.TestDb;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000,000 rows of about 100 bytes (a gigabyte on the wire) through a cursor in a JVM with
 * {@code -Xmx64m}: it must finish, with every row checked, and keep next to nothing. A cursor that
 * held its result would run out of memory after a few hundred thousand rows.
 */
@org.junit.jupiter.api.Tag("long") // once, on the default server version: it moves a gigabyte
class CursorMemoryTest {

    private static final long ROWS = 10_000_000;
    private static final long HEAP_LIMIT = 64L * 1024 * 1024;

    @Test
    void tenMillionRowsStreamUnderA64MegabyteHeap() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CursorExport.class.getName(),
                TestDb.server().uri(), Long.toString(ROWS)))
                .redirectErrorStream(true).start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("the export ended within 180 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
        Map<String, Long> figures = figures(output);
        System.out.println("cursor export under -Xmx64m: " + output.strip());
        assertThat(figures.get("rows")).isEqualTo(ROWS);
        assertThat(figures.get("peakHeap")).isPositive().isLessThan(HEAP_LIMIT);
        // What stays after a full GC half way: the connection's buffers and the JVM's own, not rows.
        assertThat(figures.get("retainedMidway")).isPositive().isLessThan(16L * 1024 * 1024);
    }

    private static Map<String, Long> figures(String output) {
        Map<String, Long> figures = new HashMap<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("rows=")) {
                for (String pair : line.split(" ")) {
                    String[] kv = pair.split("=");
                    figures.put(kv[0], Long.parseLong(kv[1]));
                }
            }
        }
        assertThat(figures).as("figures in the output:%n%s", output).containsKey("rows");
        return figures;
    }
}
