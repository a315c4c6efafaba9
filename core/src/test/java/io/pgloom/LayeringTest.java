package io.pgloom;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The internal layers depend downwards only: client → session → wire → io, with auth beside the
 * session and types beside the client (DESIGN.md). A reference upwards (say, the session
 * importing a class of the client) would let protocol code depend on Java value types and make a
 * cycle; this scans the main sources, imports and fully qualified names alike, so it fails the
 * build on the first one. The pool, which must use only core's public API, is checked too.
 */
class LayeringTest {

    /** What each internal package may reference besides itself and the public API. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "io", Set.of(),
            "wire", Set.of("io"),
            "auth", Set.of(),
            "session", Set.of("wire", "io", "auth"),
            "types", Set.of("session", "wire", "io", "auth"),
            "client", Set.of("session", "wire", "io", "auth", "types"));

    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"");
    private static final Pattern INTERNAL = Pattern.compile("\\bio\\.pgloom\\.internal\\.([a-z]+)");

    @Test
    void internalPackagesReferenceOnlyTheLayersBelowThem() throws IOException {
        Path internal = Path.of("src/main/java/io/pgloom/internal");
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(internal)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String layer = internal.relativize(file).getName(0).toString();
                Set<String> allowed = ALLOWED.get(layer);
                assertThat(allowed).as("a layer for package internal." + layer + " (add it to ALLOWED)").isNotNull();
                for (String used : internalReferences(file)) {
                    if (!used.equals(layer) && !allowed.contains(used)) {
                        violations.add(file + " (" + layer + ") uses internal." + used);
                    }
                }
                scanned++;
            }
        }
        assertThat(scanned).as("source files scanned").isGreaterThan(50);
        assertThat(violations).as("upward or sideways references between internal layers").isEmpty();
    }

    @Test
    void poolUsesOnlyCoresPublicApi() throws IOException {
        Path pool = Path.of("../pool/src/main/java");
        if (!Files.exists(pool)) {
            return; // core built alone, outside the reactor
        }
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(pool)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (!internalReferences(file).isEmpty()) {
                    violations.add(file.toString());
                }
            }
        }
        assertThat(violations).as("pool sources that use core's internal packages").isEmpty();
    }

    @Test
    void theScanSeesAnUpwardReference() {
        String code = "package io.pgloom.internal.session;\nimport io.pgloom.internal.client.ServerErrors;\n"
                + "// io.pgloom.internal.types in a comment does not count\n";
        assertThat(references(code)).containsExactly("client");
    }

    private static Set<String> internalReferences(Path file) {
        try {
            return references(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> references(String source) {
        String code = COMMENTS.matcher(source).replaceAll(" ").replaceFirst("(?m)^package [^;]*;", "");
        Set<String> used = new java.util.TreeSet<>();
        Matcher m = INTERNAL.matcher(code);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }
}
