package io.pgloom;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No {@code synchronized} in the main code of core and pool: on Java 21 a virtual thread that
 * blocks inside one pins its carrier. The JFR pinning tests cannot see this on JDK 24+, where
 * {@code synchronized} no longer pins, and CI runs a newer JDK; this check holds on any.
 */
class NoSynchronizedTest {

    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void mainSourcesUseReentrantLockNotSynchronized() throws IOException {
        Path core = Path.of("src/main/java");
        Path pool = Path.of("../pool/src/main/java");
        List<String> offenders;
        try (Stream<Path> files = Stream.concat(Files.walk(core), Files.exists(pool) ? Files.walk(pool) : Stream.empty())) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(NoSynchronizedTest::usesSynchronized)
                    .map(Path::toString).toList();
        }
        assertThat(offenders).as("files using synchronized").isEmpty();
        assertThat(Files.exists(core.resolve("io/pgloom/internal/client/ClientConnection.java"))).isTrue();
    }

    private static boolean usesSynchronized(Path file) {
        try {
            String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
            return Pattern.compile("\\bsynchronized\\b").matcher(code).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
