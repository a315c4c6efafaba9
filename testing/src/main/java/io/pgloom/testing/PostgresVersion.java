package io.pgloom.testing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version asked for by a test: a major ("17") or a full version of the zonky binary
 * artifacts ("17.5.0").
 *
 * @param major the major version, e.g. 17
 * @param full  the full version to fetch binaries of ("17.5.0"), or null when only a major was
 *              given that no artifact is known for (then only binaries on the machine can serve)
 */
record PostgresVersion(int major, String full) {

    /** The newest artifact version of each major known to resolve on Maven Central. */
    static final Map<Integer, String> ARTIFACT_VERSIONS =
            Map.of(14, "14.18.0", 16, "16.9.0", 17, "17.5.0", 18, "18.1.0");

    /** The version used when nothing else is asked for. */
    static final String DEFAULT = "17";

    private static final Pattern MAJOR = Pattern.compile("(1[0-9]|[2-9][0-9])");
    private static final Pattern FULL = Pattern.compile("(1[0-9]|[2-9][0-9])\\.\\d+\\.\\d+");

    /**
     * Parses "17" or "17.5.0". A major without a known artifact (say "15") parses with a null
     * {@link #full()}: binaries installed on the machine may still serve it.
     *
     * @throws PgServerException for anything else, naming the versions that work
     */
    static PostgresVersion parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = MAJOR.matcher(t);
        if (m.matches()) {
            int major = Integer.parseInt(t);
            return new PostgresVersion(major, ARTIFACT_VERSIONS.get(major));
        }
        m = FULL.matcher(t);
        if (m.matches()) {
            return new PostgresVersion(Integer.parseInt(m.group(1)), t);
        }
        throw new PgServerException("unknown PostgreSQL version '" + text + "': use a major version ("
                + supported() + ") or a full version of the zonky binaries such as 17.5.0"
                + " (set it with -Dpg.version=17 or PgServer.builder().version(\"17\"))");
    }

    /** The majors with a known artifact, for messages: "14, 16, 17, 18". */
    static String supported() {
        return ARTIFACT_VERSIONS.keySet().stream().sorted().map(String::valueOf)
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    @Override
    public String toString() {
        return full != null ? full : String.valueOf(major);
    }
}
