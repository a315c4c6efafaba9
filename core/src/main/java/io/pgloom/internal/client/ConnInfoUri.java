package io.pgloom.internal.client;

import io.pgloom.PgException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a libpq connection URI into raw option values:
 * {@code postgresql://user:password@host1:port1,[::1]:port2/dbname?key=value&...}.
 *
 * <p>Every part is optional and every part is percent-decoded (as UTF-8). The hosts of the
 * authority become one comma-separated {@code host} value and their ports one
 * comma-separated {@code port} value, exactly the shape {@code host=a,b port=1,2} has in a
 * conninfo string, so both forms meet in the same resolution code. Query parameters are
 * applied after the authority and the path, so {@code ?host=...} overrides the host part.
 *
 * <p>Three small liberties beyond libpq, all for input libpq rejects outright: the scheme is
 * matched case-insensitively (RFC 3986 says schemes are), the user information ends at the
 * last {@code @} of the authority (so an unencoded {@code @} in a password works), and a
 * query value may contain {@code =} ({@code ?options=-c%20search_path=app}).
 */
final class ConnInfoUri {

    private static final String[] PREFIXES = {"postgresql://", "postgres://"};

    private ConnInfoUri() {
    }

    /** True when {@code text} starts with {@code postgresql://} or {@code postgres://}. */
    static boolean isUri(String text) {
        return prefixLength(text) > 0;
    }

    /**
     * The scheme of something that looks like a URI ({@code mysql://x}, {@code jdbc:postgresql://x})
     * but is not one of ours, or null when {@code text} does not look like a URI at all.
     */
    static String foreignScheme(String text) {
        int sep = text.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        String scheme = text.substring(0, sep);
        // A conninfo string may hold "://" inside a value (sslrootcert=file://...); a scheme has
        // no '=' and no whitespace, so those are told apart here.
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.' || c == ':')) {
                return null;
            }
        }
        return scheme;
    }

    private static int prefixLength(String text) {
        for (String prefix : PREFIXES) {
            if (text.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return prefix.length();
            }
        }
        return 0;
    }

    /**
     * Splits {@code uri} into option values, percent-decoded but not yet validated (ports are
     * checked later, with the environment's values, in one place).
     *
     * @throws PgException naming the part that is malformed
     */
    static Map<ConnInfoOption, String> parse(String uri) {
        Map<ConnInfoOption, String> values = new EnumMap<>(ConnInfoOption.class);
        String rest = uri.substring(prefixLength(uri));

        int authorityEnd = indexOfAny(rest, "/?", 0);
        String authority = rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            readUserInfo(authority.substring(0, at), values);
            authority = authority.substring(at + 1);
        } else if (rest.indexOf('@', authorityEnd) >= 0 && looksLikeCutPassword(authority)) {
            // "postgresql://u:pa/ss@h/db": the authority ended at the '/' inside the password,
            // leaving "u:pa" to be read as host and port. Say so without echoing any of it.
            throw new PgException("invalid connection URI: the host part ends at a \"/\" or \"?\" that comes"
                    + " before an \"@\"; percent-encode / ? and @ in the user name or password (%2F, %3F, %40)");
        }
        readHosts(authority, values);

        int queryStart = rest.indexOf('?', authorityEnd);
        if (authorityEnd < rest.length() && rest.charAt(authorityEnd) == '/') {
            int pathEnd = queryStart < 0 ? rest.length() : queryStart;
            putIfNotEmpty(values, ConnInfoOption.DBNAME,
                    decode(rest.substring(authorityEnd + 1, pathEnd), "database name", false));
        }
        if (queryStart >= 0) {
            readQuery(rest.substring(queryStart + 1), values);
        }
        return values;
    }

    /** True when {@code authority} has a port that is not a number, as a cut-off password would. */
    private static boolean looksLikeCutPassword(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.startsWith("[")) {
            return false;
        }
        String port = authority.substring(colon + 1);
        return port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static void readUserInfo(String userInfo, Map<ConnInfoOption, String> values) {
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        putIfNotEmpty(values, ConnInfoOption.USER, decode(user, "user", false));
        if (colon >= 0) {
            putIfNotEmpty(values, ConnInfoOption.PASSWORD, decode(userInfo.substring(colon + 1), "password", true));
        }
    }

    /**
     * Reads {@code host1:port1,[v6]:port2,...}. A host without a port gets an empty port entry,
     * which later means the default port, as in libpq.
     */
    private static void readHosts(String hostList, Map<ConnInfoOption, String> values) {
        if (hostList.isEmpty()) {
            return;
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        int i = 0;
        while (true) {
            String host;
            if (i < hostList.length() && hostList.charAt(i) == '[') {
                int close = hostList.indexOf(']', i);
                if (close < 0) {
                    throw new PgException("invalid connection URI: IPv6 host \"" + hostList.substring(i)
                            + "\" has no closing \"]\"");
                }
                host = hostList.substring(i + 1, close);
                if (host.isEmpty()) {
                    throw new PgException("invalid connection URI: empty IPv6 host \"[]\"");
                }
                i = close + 1;
                if (i < hostList.length() && hostList.charAt(i) != ':' && hostList.charAt(i) != ',') {
                    throw new PgException("invalid connection URI: unexpected \"" + hostList.charAt(i)
                            + "\" after IPv6 host \"[" + host + "]\"; expected \":port\", \",\" or the end of the host part");
                }
            } else {
                int end = indexOfAny(hostList, ":,", i);
                host = hostList.substring(i, end);
                i = end;
            }
            String port = "";
            if (i < hostList.length() && hostList.charAt(i) == ':') {
                int end = indexOfAny(hostList, ",", i + 1);
                port = hostList.substring(i + 1, end);
                i = end;
            }
            hosts.add(decode(host, "host", false));
            ports.add(decode(port, "port", false));
            if (i >= hostList.length()) {
                break;
            }
            i++; // the ','
        }
        if (hosts.stream().anyMatch(h -> !h.isEmpty()) || hosts.size() > 1) {
            values.put(ConnInfoOption.HOST, String.join(",", hosts));
        }
        if (ports.stream().anyMatch(p -> !p.isEmpty())) {
            values.put(ConnInfoOption.PORT, String.join(",", ports));
        }
    }

    private static void readQuery(String query, Map<ConnInfoOption, String> values) {
        ConnInfoOption previous = null;
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue; // "?a=1&&b=2" and a trailing "&" are harmless
            }
            int eq = pair.indexOf('=');
            boolean keyFollows = eq >= 0 && (ConnInfoOption.find(pair.substring(0, eq)) != null || pair.startsWith("ssl="));
            if (previous != null && previous.secret() && !keyFollows) {
                // Most likely the rest of a password holding an unencoded '&': never echo it.
                throw new PgException("invalid connection URI: unexpected text after the value of query parameter \""
                        + previous.keyword() + "\"; percent-encode & in it as %26");
            }
            if (eq < 0) {
                throw new PgException("invalid connection URI: query parameter \"" + decode(pair, "query parameter name", false)
                        + "\" has no \"=\"; write key=value");
            }
            String key = decode(pair.substring(0, eq), "query parameter name", false);
            if (key.isEmpty()) {
                throw new PgException("invalid connection URI: a query parameter has no name before \"=\"");
            }
            String rawValue = pair.substring(eq + 1);
            if ("ssl".equals(key) && "true".equals(rawValue)) {
                // libpq's nod to JDBC URLs: ssl=true means sslmode=require; any other ssl value is unknown.
                values.put(ConnInfoOption.SSLMODE, "require");
                previous = ConnInfoOption.SSLMODE;
                continue;
            }
            ConnInfoOption option = ConnInfoOption.forKeyword(key, "URI query parameter");
            previous = option;
            String value = decode(rawValue, "value of query parameter \"" + key + "\"", option.secret());
            if (value.isEmpty()) {
                values.remove(option); // an empty value means "not set", as in a conninfo string
            } else {
                values.put(option, value);
            }
        }
    }

    private static void putIfNotEmpty(Map<ConnInfoOption, String> values, ConnInfoOption option, String value) {
        if (!value.isEmpty()) {
            values.put(option, value);
        }
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /**
     * Percent-decodes one URI component. Runs of {@code %XX} are collected as bytes and read as
     * UTF-8, so {@code %C3%A9} is one {@code é}; characters not escaped are kept as they are.
     *
     * @param part what the component is, for the message
     * @param secret true for passwords: the message then shows nothing of the value
     */
    static String decode(String component, String part, boolean secret) {
        if (component.indexOf('%') < 0) {
            return component;
        }
        StringBuilder out = new StringBuilder(component.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < component.length()) {
            char c = component.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            bytes.reset();
            while (i < component.length() && component.charAt(i) == '%') {
                int hi = i + 1 < component.length() ? Character.digit(component.charAt(i + 1), 16) : -1;
                int lo = i + 2 < component.length() ? Character.digit(component.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    String token = component.substring(i, Math.min(i + 3, component.length()));
                    throw new PgException("invalid connection URI: bad percent-escape "
                            + (secret ? "" : "\"" + token + "\" ") + "in the " + part
                            + "; write % as %25 and follow % with two hex digits");
                }
                int b = hi << 4 | lo;
                if (b == 0) {
                    throw new PgException("invalid connection URI: %00 (a NUL character) is not allowed in the " + part);
                }
                bytes.write(b);
                i += 3;
            }
            try {
                out.append(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.toByteArray())));
            } catch (CharacterCodingException e) {
                throw new PgException("invalid connection URI: the percent-escapes in the " + part
                        + " are not valid UTF-8", e);
            }
        }
        return out.toString();
    }

    /** Advice to append to the message about a foreign {@code scheme}, or "" when there is none. */
    static String schemeHint(String scheme) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            return "; drop the \"jdbc:\" prefix";
        }
        return "";
    }
}
