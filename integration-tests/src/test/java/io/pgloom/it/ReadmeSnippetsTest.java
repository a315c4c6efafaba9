package io.pgloom.it;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code java} block of the README compiles against the real pgloom classes, as a method
 * body beside stand-ins for what a snippet takes from around it ({@code conn}, {@code pool},
 * {@code settings}) and for the few third-party types the README shows (a JSON library,
 * OpenTelemetry, Helidon health, the Jetty example's Micrometer binder, Flyway, Spring's
 * JdbcTemplate, jOOQ), so a snippet that stops
 * compiling fails the build instead of a reader.
 */
class ReadmeSnippetsTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");

    private static final String PREAMBLE = """
            import io.pgloom.*;
            import io.pgloom.codec.*;
            import io.pgloom.pool.*;
            import io.pgloom.testing.*;
            import io.pgloom.jdbc.*;
            import javax.sql.DataSource;
            import java.io.*;
            import java.util.stream.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.function.*;

            @SuppressWarnings("unused")
            class Snippet%d {
                // what the snippets take from around them
                PgConnection conn;
                PgPool pool;
                String url;
                Map<String, String> settings;
                InputStream csvInputStream;
                Json json;
                Tracer tracer;
                Object meterRegistry;
                LocalDate day;
                void export(Row row) { }
                void send(Object value) { }

                // stand-ins for the third-party types the README names
                static final class JsonNode { }
                static final class Json { JsonNode parse(String text) { return null; } }
                enum StatusCode { OK, ERROR }
                interface Span { Span recordException(Throwable t); Span setStatus(StatusCode s); void end(Instant at); }
                interface SpanBuilder {
                    SpanBuilder setStartTimestamp(Instant at); SpanBuilder setAttribute(String k, String v); Span startSpan();
                }
                interface Tracer { SpanBuilder spanBuilder(String name); }
                enum HealthCheckType { LIVENESS, READINESS }
                interface HealthCheckResponse {
                    static Builder builder() { return null; }
                    interface Builder { Builder status(boolean up); Builder detail(String k, Object v); HealthCheckResponse build(); }
                }
                static final class HealthObserver {
                    static HealthObserver builder() { return null; }
                    HealthObserver addCheck(Supplier<HealthCheckResponse> check, HealthCheckType type, String name) { return this; }
                    HealthObserver build() { return this; }
                }
                static final class Flyway {
                    static Flyway configure() { return null; }
                    Flyway dataSource(DataSource ds) { return this; }
                    Flyway load() { return this; }
                    void migrate() { }
                }
                static final class JdbcTemplate { JdbcTemplate(DataSource ds) { } }
                interface DSLContext { }
                enum SQLDialect { POSTGRES }
                static final class DSL { static DSLContext using(DataSource ds, SQLDialect dialect) { return null; } }
                static final class PgPoolMetrics implements PoolListener {
                    PgPoolMetrics(String poolName) { }
                    void bindTo(PgPool pool, Object registry) { }
                }

                void snippet() throws Exception {
            %s
                }
            }
            """;

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        List<JavaFileObject> sources = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        int n = 0;
        while (m.find()) {
            n++;
            String code = PREAMBLE.formatted(n, m.group(1).indent(8));
            sources.add(new SimpleJavaFileObject(URI.create("string:///Snippet" + n + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        assertThat(n).as("java blocks in README.md").isGreaterThanOrEqualTo(5);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-snippets");
        List<String> options = List.of("-d", out.toString(), "-proc:none", "-classpath", classPath());
        boolean ok = javac.getTask(null, null, diagnostics, options, null, sources).call();
        long offset = PREAMBLE.substring(0, PREAMBLE.indexOf("%s")).lines().count();
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ", line " + (d.getLineNumber() - offset) + " of the block: "
                        + d.getMessage(null))
                .toList();
        assertThat(errors).as("README snippets that do not compile").isEmpty();
        assertThat(ok).isTrue();
    }

    /** The test class path, unpacked from surefire's manifest-only jar when it uses one. */
    private static String classPath() throws Exception {
        String cp = System.getProperty("java.class.path");
        List<String> entries = new ArrayList<>(List.of(cp.split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            try (var jar = new java.util.jar.JarFile(entries.get(0))) {
                String manifestCp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestCp != null) {
                    for (String url : manifestCp.split(" ")) {
                        entries.add(Path.of(URI.create(url)).toString());
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
