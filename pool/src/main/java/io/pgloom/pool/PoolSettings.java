package io.pgloom.pool;

import io.pgloom.ConnectOptions;
import io.pgloom.PgException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Pool settings as text, the way configuration files, environment variables and URIs carry them:
 * the key table behind {@link PoolOptions#fromMap(Map)} and the pool keys of a URI's query.
 * Keys are snake_case ({@code max_size}); kebab-case ({@code max-size}) is read the same.
 * Stateless; thread-safe.
 */
final class PoolSettings {

    /** The keys, in the order the documentation lists them, each applied to a builder. */
    private static final Map<String, BiConsumer<PoolOptions.Builder, String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("min_size", (b, v) -> b.minSize(integer("min_size", v)));
        KEYS.put("max_size", (b, v) -> b.maxSize(integer("max_size", v)));
        KEYS.put("acquire_timeout", (b, v) -> b.acquireTimeout(duration("acquire_timeout", v)));
        KEYS.put("max_lifetime", (b, v) -> b.maxLifetime(duration("max_lifetime", v)));
        KEYS.put("max_lifetime_jitter", (b, v) -> b.maxLifetimeJitter(duration("max_lifetime_jitter", v)));
        KEYS.put("idle_timeout", (b, v) -> b.idleTimeout(duration("idle_timeout", v)));
        KEYS.put("max_queries", (b, v) -> b.maxQueries(longValue("max_queries", v)));
        KEYS.put("liveness_check_after", (b, v) -> b.livenessCheckAfter(duration("liveness_check_after", v)));
        KEYS.put("validation_timeout", (b, v) -> b.validationTimeout(duration("validation_timeout", v)));
        KEYS.put("reset_query", PoolOptions.Builder::resetQuery);
        KEYS.put("leak_detection_threshold", (b, v) -> b.leakDetectionThreshold(duration("leak_detection_threshold", v)));
        KEYS.put("close_timeout", (b, v) -> b.closeTimeout(duration("close_timeout", v)));
        KEYS.put("pipelining", (b, v) -> b.pipelining(integer("pipelining", v)));
        KEYS.put("max_transaction_attempts", (b, v) -> b.maxTransactionAttempts(integer("max_transaction_attempts", v)));
        KEYS.put("retry_backoff", (b, v) -> b.retryBackoff(duration("retry_backoff", v)));
    }

    /** The keys that say where to connect rather than how to pool. */
    private static final Set<String> CONNECTION_KEYS = Set.of("url", "uri");

    private PoolSettings() {
    }

    /** True when {@code key} (in either spelling) is a pool key. */
    static boolean isPoolKey(String key) {
        return KEYS.containsKey(normalize(key));
    }

    /**
     * Applies {@code settings} to {@code builder}: {@code url} (or {@code uri}) first, then the
     * pool keys. Only keys that start with {@code prefix} are read, with the prefix cut off; any
     * other key under the prefix is an error naming it.
     */
    static void apply(PoolOptions.Builder builder, Map<String, String> settings, String prefix) {
        Map<String, String> mine = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String key = normalize(e.getKey().substring(prefix.length()));
                if (!KEYS.containsKey(key) && !CONNECTION_KEYS.contains(key)) {
                    throw new PgException("unknown pool setting \"" + e.getKey() + "\": the keys are "
                            + (prefix.isEmpty() ? "" : "(after \"" + prefix + "\") ") + "url, " + String.join(", ", KEYS.keySet()));
                }
                if (mine.put(key, e.getValue()) != null) {
                    throw new PgException("pool setting \"" + e.getKey() + "\" is given twice (as snake_case and kebab-case)");
                }
            }
        }
        String url = mine.containsKey("url") ? mine.remove("url") : mine.remove("uri");
        if (url != null) {
            builder.uri(url);
        }
        mine.forEach((key, value) -> {
            if (value == null) {
                throw new PgException("pool setting \"" + prefix + key + "\" has no value");
            }
            KEYS.get(key).accept(builder, value.strip());
        });
    }

    /**
     * Splits a libpq URI into the connection options (from the URI without its pool keys) and
     * applies the pool keys of its query ({@code ?max_size=16&acquire_timeout=5s}) to
     * {@code builder}. A {@code key=value} conninfo string (no "://") goes to ConnectOptions whole.
     */
    static ConnectOptions fromUri(PoolOptions.Builder builder, String uri) {
        if (uri == null) {
            throw new PgException("PoolOptions.uri: the URI is null");
        }
        int query = uri.indexOf('?');
        if (!uri.contains("://") || query < 0) {
            return ConnectOptions.fromUri(uri);
        }
        List<String> kept = new ArrayList<>();
        Map<String, String> pool = new LinkedHashMap<>();
        for (String pair : uri.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (isPoolKey(key)) {
                pool.put(key, eq < 0 ? null : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } else if (!pair.isEmpty()) {
                kept.add(pair);
            }
        }
        ConnectOptions options = ConnectOptions.fromUri(uri.substring(0, query)
                + (kept.isEmpty() ? "" : "?" + String.join("&", kept)));
        apply(builder, pool, "");
        return options;
    }

    /** The documented keys, for messages and tests. */
    static Set<String> keys() {
        return new TreeSet<>(KEYS.keySet());
    }

    private static String normalize(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new PgException("pool setting " + key + ": \"" + value + "\" is not a whole number");
        }
    }

    private static long longValue(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new PgException("pool setting " + key + ": \"" + value + "\" is not a whole number");
        }
    }

    /**
     * A duration: a number with a unit ({@code 250ms}, {@code 5s}, {@code 10m}, {@code 1h},
     * {@code 2d}), a bare number of seconds ({@code 30}, {@code 0.5}, as libpq's
     * connect_timeout), or ISO-8601 ({@code PT5S}).
     */
    static Duration duration(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.strip());
            }
            int unit = 0;
            while (unit < v.length() && (Character.isDigit(v.charAt(unit)) || v.charAt(unit) == '.')) {
                unit++;
            }
            if (unit == 0) {
                throw new NumberFormatException();
            }
            double number = Double.parseDouble(v.substring(0, unit));
            long nanosPerUnit = switch (v.substring(unit).strip()) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "", "s" -> 1_000_000_000L;
                case "m", "min" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                default -> throw new NumberFormatException();
            };
            return Duration.ofNanos(Math.round(number * nanosPerUnit));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new PgException("pool setting " + key + ": \"" + value
                    + "\" is not a duration; write 250ms, 5s, 10m, 1h, a number of seconds, or PT5S");
        }
    }
}
