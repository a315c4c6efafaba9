package io.pgloom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What this machine is, as far as starting PostgreSQL goes: the zonky name of its operating system
 * and processor, whether the JVM runs as root, and how to run a command as an unprivileged user
 * when it does (PostgreSQL refuses to run as root).
 */
final class Platform {

    /** The unprivileged account the server runs as when the JVM is root. */
    static final String SERVER_USER = "nobody";
    static final String SERVER_GROUP = "nogroup";

    private Platform() {
    }

    static boolean isWindows() {
        return osName().startsWith("windows");
    }

    private static String osName() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    }

    /** zonky's operating system name: linux, darwin or windows. */
    static String zonkyOs() {
        String os = osName();
        if (os.startsWith("windows")) {
            return "windows";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "darwin";
        }
        if (os.startsWith("linux")) {
            return "linux";
        }
        throw new PgServerException("no PostgreSQL binaries for operating system '" + osName()
                + "': set PGLOOM_TEST_URL to a running server instead");
    }

    /**
     * zonky's processor name (amd64, arm64v8, arm32v7, i386, ppc64le), plus "-alpine" on musl
     * Linux, whose binaries differ.
     */
    static String zonkyArch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String name = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64v8";
            case "arm", "aarch32" -> "arm32v7";
            case "x86", "i386", "i486", "i586", "i686" -> "i386";
            case "ppc64le" -> "ppc64le";
            default -> throw new PgServerException("no PostgreSQL binaries for processor '" + arch
                    + "': set PGLOOM_TEST_URL to a running server instead");
        };
        if (zonkyOs().equals("linux") && Files.exists(Path.of("/etc/alpine-release"))) {
            name += "-alpine";
        }
        return name;
    }

    /** True when the JVM runs as root, so PostgreSQL must be started as another user. */
    static boolean isRoot() {
        return !isWindows() && "root".equals(System.getProperty("user.name"));
    }

    /** The file name of a PostgreSQL program on this system ("postgres" or "postgres.exe"). */
    static String executable(String name) {
        return isWindows() ? name + ".exe" : name;
    }

    /** The path of a program found on the PATH, if any. */
    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, executable(program));
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The command line that runs {@code command} as the server's user: as is for a normal user;
     * through setpriv (or runuser) as {@value #SERVER_USER} for root. With setpriv the server also
     * gets a parent-death signal, so a JVM killed without running its shutdown hooks still takes
     * the server down with it (fast shutdown).
     */
    static List<String> asServerUser(List<String> command, boolean dieWithParent) {
        List<String> line = new ArrayList<>();
        Optional<Path> setpriv = isWindows() ? Optional.empty() : onPath("setpriv");
        if (isRoot()) {
            if (setpriv.isPresent()) {
                line.addAll(List.of(setpriv.get().toString(), "--reuid=" + SERVER_USER,
                        "--regid=" + SERVER_GROUP, "--clear-groups"));
            } else {
                Path runuser = onPath("runuser").orElseThrow(() -> new PgServerException(
                        "PostgreSQL refuses to run as root, and neither setpriv nor runuser is on"
                                + " the PATH to run it as '" + SERVER_USER + "': install util-linux,"
                                + " run the tests as another user, or set PGLOOM_TEST_URL"));
                line.addAll(List.of(runuser.toString(), "-u", SERVER_USER, "--"));
                line.addAll(command);
                return line;
            }
        } else if (setpriv.isPresent() && dieWithParent) {
            line.add(setpriv.get().toString());
        }
        if (!line.isEmpty()) {
            if (dieWithParent) {
                line.add("--pdeathsig=INT");
            }
            line.add("--");
        }
        line.addAll(command);
        return line;
    }

    /** Gives a file or folder to the server's user when the JVM is root; does nothing otherwise. */
    static void giveToServerUser(Path path) throws IOException {
        if (!isRoot()) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        ServerAccount account = ServerAccount.lookup(path);
        view.setOwner(account.user());
        view.setGroup(account.group());
    }

    /** The server user's principals, looked up once: a template copy gives away a thousand files. */
    private record ServerAccount(UserPrincipal user, GroupPrincipal group) {
        private static volatile ServerAccount cached;

        static ServerAccount lookup(Path anyPath) throws IOException {
            ServerAccount account = cached;
            if (account == null) {
                UserPrincipalLookupService lookup = anyPath.getFileSystem().getUserPrincipalLookupService();
                account = new ServerAccount(lookup.lookupPrincipalByName(SERVER_USER),
                        lookup.lookupPrincipalByGroupName(SERVER_GROUP));
                cached = account;
            }
            return account;
        }
    }
}
