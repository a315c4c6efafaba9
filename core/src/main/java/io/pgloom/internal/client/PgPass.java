package io.pgloom.internal.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A libpq password file ({@code ~/.pgpass}, {@code PGPASSFILE}, {@code passfile=}): lines of
 * {@code hostname:port:database:username:password}, read once and searched in order.
 *
 * <p>As in libpq: a field of exactly {@code *} matches anything; {@code \:} and {@code \\}
 * stand for a literal colon and backslash (and {@code \*} for a literal star); lines starting
 * with {@code #} and blank lines are skipped; a line with fewer than five fields never
 * matches; the first matching line wins; the password ends at the first unescaped colon. A
 * missing file is simply empty. On POSIX systems a file that is not a regular file, or that
 * its group or others may access in any way, is ignored with a warning, because a password
 * file anyone else can read has already leaked its passwords and libpq refuses it too.
 *
 * <p>For a Unix-domain socket directory, a line whose host is {@code localhost} matches as
 * well as a line naming the directory itself. libpq does this only for its compile-time
 * default socket directory; pgloom has no such default, so it accepts {@code localhost} for
 * any socket directory.
 *
 * <p>Immutable and thread-safe.
 */
final class PgPass {

    private static final System.Logger LOG = System.getLogger(PgPass.class.getName());

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** One line; a null field is the wildcard {@code *}. */
    private record Entry(String host, String port, String database, String user, String password) {
    }

    private static final PgPass EMPTY = new PgPass(List.of());

    private final List<Entry> entries;

    private PgPass(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Reads {@code file}; a file that is missing, unreadable or too open yields an empty
     * password file (the last two with a logged warning), never an exception.
     */
    static PgPass load(Path file) {
        byte[] content;
        try {
            if (!isPrivate(file)) {
                return EMPTY;
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException | SecurityException e) {
            LOG.log(Level.WARNING, "could not read password file \"{0}\"; it is ignored: {1}", file, e.toString());
            return EMPTY;
        }
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    /** Parses the content of a password file; exposed for tests. */
    static PgPass parse(String content) {
        List<Entry> entries = new ArrayList<>();
        for (String line : content.split("\n", -1)) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            List<String> fields = splitFields(line);
            if (fields.size() < 5) {
                continue;
            }
            entries.add(new Entry(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4)));
        }
        return new PgPass(List.copyOf(entries));
    }

    /**
     * The password of the first line matching these values, or null when none matches (an
     * empty password on the matching line also counts as none: nothing useful could be sent).
     *
     * @param host a host name or address, or a Unix-domain socket directory
     */
    String password(String host, int port, String database, String user) {
        String portText = Integer.toString(port);
        boolean socket = host.startsWith("/") || host.startsWith("@");
        for (Entry e : entries) {
            boolean hostMatches = matches(e.host, host) || (socket && matches(e.host, "localhost"));
            if (hostMatches && matches(e.port, portText) && matches(e.database, database) && matches(e.user, user)) {
                return e.password.isEmpty() ? null : e.password;
            }
        }
        return null;
    }

    private static boolean matches(String field, String value) {
        return field == null || field.equals(value);
    }

    /**
     * Splits a line at unescaped colons into at most five unescaped fields (the password is the
     * fifth and ends at the next unescaped colon); an unescaped {@code *} field becomes null.
     */
    private static List<String> splitFields(String line) {
        List<String> fields = new ArrayList<>(5);
        StringBuilder field = new StringBuilder();
        boolean escaped = false; // the field held an escape, so a lone '*' in it is literal
        for (int i = 0; i < line.length() && fields.size() < 5; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
                escaped = true;
            } else if (c == ':') {
                fields.add(wildcardOrText(field, escaped, fields.size()));
                field.setLength(0);
                escaped = false;
            } else {
                field.append(c);
            }
        }
        if (fields.size() == 4) {
            fields.add(field.toString()); // the password ran to the end of the line
        }
        return fields;
    }

    private static String wildcardOrText(StringBuilder field, boolean escaped, int index) {
        // Only the four matching fields know the wildcard; a password of "*" is a password.
        boolean wildcard = index < 4 && !escaped && field.length() == 1 && field.charAt(0) == '*';
        return wildcard ? null : field.toString();
    }

    /**
     * False, after logging why, when the file is not a regular file or its group or others
     * may access it. Where the file system has no POSIX permissions (Windows), the check is
     * skipped, as libpq skips it.
     */
    private static boolean isPrivate(Path file) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return true;
        }
        if (!attributes.isRegularFile()) {
            LOG.log(Level.WARNING, "password file \"{0}\" is not a plain file; it is ignored", file);
            return false;
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
        open.retainAll(attributes.permissions());
        if (!open.isEmpty()) {
            LOG.log(Level.WARNING, "password file \"{0}\" has group or world access ({1}); it is ignored."
                    + " Make it u=rw (0600) or less: chmod 0600 {0}", file, open);
            return false;
        }
        return true;
    }
}
