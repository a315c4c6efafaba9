package io.pgloom.internal.auth;

import io.pgloom.PgException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * libpq 16's {@code require_auth}: which authentication methods the client accepts from the
 * server. A comma-separated list of {@code password}, {@code md5}, {@code scram-sha-256} and
 * {@code none} allows just those; a list of {@code !}-negated ones allows all but those (the two
 * forms do not mix). The check runs when the server asks for a method, before any password byte
 * is sent, so a server (or an impostor) cannot talk the client down to a weaker method.
 *
 * <pre>{@code
 * RequireAuth.parse("scram-sha-256").check(RequireAuth.Method.PASSWORD); // throws: refused
 * }</pre>
 */
public final class RequireAuth {

    /** The methods pgloom can be asked for; NONE is a server that lets the client in unasked. */
    public enum Method {
        PASSWORD("password", "a cleartext password"),
        MD5("md5", "an MD5 password hash"),
        SCRAM_SHA_256("scram-sha-256", "SCRAM-SHA-256 authentication"),
        NONE("none", "no authentication");

        private final String keyword;
        private final String description;

        Method(String keyword, String description) {
            this.keyword = keyword;
            this.description = description;
        }
    }

    private final String spec;
    private final Set<Method> allowed;

    private RequireAuth(String spec, Set<Method> allowed) {
        this.spec = spec;
        this.allowed = allowed;
    }

    /**
     * Parses a {@code require_auth} value; null or empty allows every method.
     *
     * @throws PgException naming the bad entry
     */
    public static RequireAuth parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new RequireAuth(null, EnumSet.allOf(Method.class));
        }
        EnumSet<Method> listed = EnumSet.noneOf(Method.class);
        Boolean negated = null;
        for (String raw : spec.split(",", -1)) {
            String entry = raw.trim();
            boolean not = entry.startsWith("!");
            String keyword = (not ? entry.substring(1) : entry).toLowerCase(Locale.ROOT);
            if (negated != null && negated != not) {
                throw new PgException("require_auth \"" + spec + "\": negated (!) and plain methods cannot be mixed");
            }
            negated = not;
            Method method = find(keyword);
            if (method == null) {
                throw new PgException("require_auth \"" + spec + "\": unknown method \"" + entry
                        + "\"; use password, md5, scram-sha-256 or none, each optionally negated with !");
            }
            if (!listed.add(method)) {
                throw new PgException("require_auth \"" + spec + "\": method \"" + keyword + "\" is listed twice");
            }
        }
        Set<Method> allowed = negated ? EnumSet.complementOf(listed) : listed;
        if (allowed.isEmpty()) {
            throw new PgException("require_auth \"" + spec + "\" allows no method at all");
        }
        return new RequireAuth(spec, allowed);
    }

    private static Method find(String keyword) {
        for (Method m : Method.values()) {
            if (m.keyword.equals(keyword)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Refuses {@code method} unless allowed, naming what the server asked for.
     *
     * @param server the server, for the message
     * @throws PgException before the client answers the request
     */
    public void check(Method method, String server) {
        if (!allowed.contains(method)) {
            throw new PgException("require_auth=\"" + spec + "\" refuses the server at " + server + ": it "
                    + (method == Method.NONE ? "let the client in with no authentication"
                    : "asked for " + method.description) + "; no password was sent");
        }
    }

    public boolean allows(Method method) {
        return allowed.contains(method);
    }
}
