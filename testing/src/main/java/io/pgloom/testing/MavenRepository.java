package io.pgloom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Finds a jar in the local Maven repository and, when it is not there, downloads it from Maven
 * Central into the same layout (checking its .sha1), so that Maven and pgloom share one copy.
 */
final class MavenRepository {

    private static final System.Logger LOG = System.getLogger(MavenRepository.class.getName());

    /** Where jars come from; a system property lets a mirror stand in for Maven Central. */
    private static String remote() {
        return System.getProperty("pgloom.maven.remote", "https://repo.maven.apache.org/maven2");
    }

    private MavenRepository() {
    }

    /** The local repository: {@code -Dmaven.repo.local}, else ~/.m2/repository. */
    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The path, relative to a repository's root, of {@code group:artifact:version} as a jar. */
    static String jarPath(String group, String artifact, String version) {
        return group.replace('.', '/') + "/" + artifact + "/" + version + "/"
                + artifact + "-" + version + ".jar";
    }

    /**
     * The jar in the local repository, downloaded first if absent.
     *
     * @throws PgServerException when it is absent and cannot be downloaded or fails its checksum
     */
    static Path jar(String group, String artifact, String version) {
        String relative = jarPath(group, artifact, version);
        Path local = localRepository().resolve(relative);
        if (Files.isRegularFile(local)) {
            return local;
        }
        String coordinates = group + ":" + artifact + ":" + version;
        URI uri = URI.create(remote() + "/" + relative);
        LOG.log(Level.INFO, "downloading {0} from {1}", coordinates, uri);
        Path temp = null;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            // The checksum first: a version that does not exist leaves no empty folder behind.
            String expectedSha1 = fetchSha1(http, URI.create(uri + ".sha1"));
            Files.createDirectories(local.getParent());
            temp = Files.createTempFile(local.getParent(), artifact, ".part");
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofFile(temp));
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            }
            String actualSha1 = sha1(temp);
            if (!actualSha1.equalsIgnoreCase(expectedSha1)) {
                throw new IOException("checksum mismatch for " + uri + ": expected SHA-1 "
                        + expectedSha1 + ", got " + actualSha1);
            }
            Files.writeString(local.resolveSibling(local.getFileName() + ".sha1"), expectedSha1);
            // Another JVM may have won the race; either copy is the same checked file.
            Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return local;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof NotFound) {
                throw new PgServerException(coordinates + " does not exist on Maven Central (" + e.getMessage()
                        + "): use a version that does, e.g. " + String.join(", ",
                        new java.util.TreeSet<>(PostgresVersion.ARTIFACT_VERSIONS.values())) + ", or set PGLOOM_TEST_URL", e);
            }
            throw new PgServerException("could not get " + coordinates + ": it is not in the local"
                    + " Maven repository " + localRepository() + " and downloading " + uri
                    + " failed (" + e + "). Go online once, run `mvn dependency:get -Dartifact="
                    + coordinates + "`, install PostgreSQL on this machine, or set PGLOOM_TEST_URL", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Maven Central answered that there is no such file: no download will ever find it. */
    private static final class NotFound extends IOException {
        private static final long serialVersionUID = 1L;

        NotFound(URI uri) {
            super("HTTP 404 for " + uri);
        }
    }

    private static String fetchSha1(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            throw new NotFound(uri);
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for " + uri);
        }
        // A .sha1 file may hold "hash  filename"; the hash is the first word.
        return response.body().strip().split("\\s+")[0];
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover .part file is harmless and reused by nobody
            }
        }
    }
}
