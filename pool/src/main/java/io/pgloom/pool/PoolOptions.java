package io.pgloom.pool;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a {@link PgPool} behaves: where its connections go, how many it keeps, how long they live
 * and how they are cleaned between borrowers. Built with {@link #builder()}; every value is
 * checked when the record is made, and a bad one fails at once with an exception naming its key.
 *
 * <pre>{@code
 * PoolOptions options = PoolOptions.builder()
 *         .connectOptions(ConnectOptions.fromUri("postgresql://app@localhost/shop"))
 *         .minSize(2).maxSize(16)
 *         .acquireTimeout(Duration.ofSeconds(5))
 *         .setup(conn -> conn.setCommandTimeout(Duration.ofSeconds(10)))
 *         .build();
 * }</pre>
 *
 * <p><b>From configuration</b>: {@link #fromMap(Map)} reads text settings, and the pool keys may
 * also ride in the URI's query, {@code postgresql://app@db/shop?max_size=16&acquire_timeout=5s}.
 * The keys are {@code url}, {@code min_size}, {@code max_size}, {@code acquire_timeout},
 * {@code max_lifetime}, {@code max_lifetime_jitter}, {@code idle_timeout}, {@code max_queries},
 * {@code liveness_check_after}, {@code validation_timeout}, {@code reset_query},
 * {@code leak_detection_threshold}, {@code close_timeout}, {@code max_transaction_attempts} and
 * {@code retry_backoff}, in snake_case or kebab-case; durations are written {@code 250ms},
 * {@code 5s}, {@code 10m}, {@code 1h}, as a bare number of seconds, or in ISO-8601
 * ({@code PT5S}). An unknown key is an error that names it.
 *
 * <pre>{@code
 * PoolOptions options = PoolOptions.fromMap(Map.of(
 *         "url", "postgresql://app@localhost/shop", "max_size", "16", "acquire_timeout", "5s"));
 * }</pre>
 *
 * <p>Durations: {@link Duration#ZERO} switches off {@code maxLifetime}, {@code idleTimeout} and
 * {@code leakDetectionThreshold}; {@code maxQueries} 0 (the default) means unlimited.
 *
 * <p><b>The reset on release.</b> A borrow that changed nothing (no open transaction, no SET,
 * LISTEN, PREPARE, cursor, temporary object, advisory lock, command timeout, notification
 * callback or codec; see {@link PgConnection#sessionChanges()}) is given back as it is, at no
 * cost. Log listeners added to a borrow are that borrow's own and end with it. A borrow that
 * changed something is reset fully ({@link PgConnection#resetSession()}: rollback, role and
 * session authorization, cursors, LISTENs, advisory locks, temporary objects, settings, SQL-level
 * prepared statements), and the reset SQL rides ahead of the next borrower's first statement in
 * the same write, so nobody waits a round trip for it; a reset that fails closes the connection
 * and the pool retries its own query methods on another. What the client cannot see (a function
 * called from a SELECT that takes a session advisory lock, calls {@code set_config} or creates a
 * temporary table) is not detected: set {@link #resetEveryRelease} when borrowers call such
 * functions. Note that {@code RESET ALL} also undoes a {@code SET} made by the {@link #init} hook:
 * put settings that must last in {@link ConnectOptions} (server settings or {@code options}),
 * where {@code RESET} returns to them, or repeat them in {@link #setup}. Codecs, log listeners and
 * the command timeout set in {@code init} do last.
 *
 * <p>Immutable and thread-safe (the hooks and listener are shared by every thread that acquires,
 * so they must be thread-safe themselves).
 *
 * @param connectOptions how to open each connection; when its connect timeout is zero, the pool
 *        uses {@code acquireTimeout} for it, so an unreachable host cannot hang an acquire forever
 * @param minSize connections kept open even when idle (opened in the background)
 * @param maxSize the most connections open at once, borrowed or idle
 * @param acquireTimeout how long {@link PgPool#acquire()} waits for a connection
 * @param maxLifetime the age after which a connection is closed instead of reused; zero: no limit
 * @param maxLifetimeJitter up to this much is taken at random off each connection's lifetime, so
 *        connections opened together do not all expire together; by default 1/40 of maxLifetime
 * @param idleTimeout how long a connection may sit idle before it is closed, while more than
 *        {@code minSize} are open; zero: never
 * @param maxQueries how many times a connection is handed out before it is replaced (asyncpg's
 *        {@code max_queries}, counted per acquire, not per statement); zero (the default):
 *        unlimited, leaving the recycling to {@code maxLifetime}. Unlike asyncpg (50,000), so
 *        that a busy pool, where each connection is handed out thousands of times a second,
 *        does not replace its connections every few seconds
 * @param livenessCheckAfter a connection idle longer than this gets an empty query before it is
 *        handed out and is replaced if that fails; zero checks every time
 * @param validationTimeout the longest the liveness check and the reset on release may take
 * @param resetQuery extra SQL run on every release, after the reset, costing the releasing
 *        caller a round trip; null or empty (the default): none
 * @param resetEveryRelease reset the session on every release, also when no change was seen
 *        (costs the server the reset's work, not a round trip); false by default
 * @param init run once on each new connection, before its first use; may be null
 * @param setup run on every acquire, with the borrowed connection; may be null
 * @param leakDetectionThreshold a connection borrowed longer than this is logged, with the stack
 *        trace of where it was acquired; zero: off
 * @param closeTimeout how long {@link PgPool#close()} waits for borrowed connections to return
 * @param maxTransactionAttempts how many times {@link PgPool#inTransaction} runs a body that keeps
 *        failing with a serialization failure or deadlock (1: no retry)
 * @param retryBackoff the first pause between attempts; it doubles each time, up to 32 times
 *        this, with random jitter
 * @param listener told about connections and acquires; {@link PoolListener#NONE} by default
 * @param pipelining how many requests of the pool's own query methods ({@code execute},
 *        {@code fetch}, ...) may be in flight on one connection at once, pipelined with their own
 *        Sync each (see {@link PgPool}); 1 gives each request a connection of its own, as
 *        {@link PgPool#acquire()} does; {@value #DEFAULT_PIPELINING} by default
 */
public record PoolOptions(
        ConnectOptions connectOptions,
        int minSize,
        int maxSize,
        Duration acquireTimeout,
        Duration maxLifetime,
        Duration maxLifetimeJitter,
        Duration idleTimeout,
        long maxQueries,
        Duration livenessCheckAfter,
        Duration validationTimeout,
        String resetQuery,
        Consumer<PgConnection> init,
        Consumer<PgConnection> setup,
        Duration leakDetectionThreshold,
        Duration closeTimeout,
        int maxTransactionAttempts,
        Duration retryBackoff,
        PoolListener listener,
        boolean resetEveryRelease,
        int pipelining) {

    /**
     * Requests in flight per connection by default: enough that W5's 1,000 callers on 16
     * connections all fit without waiting in the pool's own line (each wait there costs one more
     * wake-up per request), few enough that a slow statement holds back at most 63 others on its
     * connection. Vert.x pipelines up to 256.
     */
    public static final int DEFAULT_PIPELINING = 64;


    /** Checks every value, naming the key of the first bad one. */
    public PoolOptions {
        if (connectOptions == null) {
            throw bad("connectOptions", "is required: give ConnectOptions.fromUri(...) or ConnectOptions.builder()...build()");
        }
        if (maxSize < 1) {
            throw bad("maxSize", "must be at least 1, not " + maxSize);
        }
        if (minSize < 0 || minSize > maxSize) {
            throw bad("minSize", "must be between 0 and maxSize (" + maxSize + "), not " + minSize);
        }
        notNegative("acquireTimeout", acquireTimeout);
        notNegative("maxLifetime", maxLifetime);
        notNegative("maxLifetimeJitter", maxLifetimeJitter);
        if (!maxLifetime.isZero() && maxLifetimeJitter.compareTo(maxLifetime) >= 0) {
            throw bad("maxLifetimeJitter", "must be shorter than maxLifetime (" + maxLifetime + "), not " + maxLifetimeJitter);
        }
        notNegative("idleTimeout", idleTimeout);
        if (maxQueries < 0) {
            throw bad("maxQueries", "must be 0 (unlimited) or more, not " + maxQueries);
        }
        notNegative("livenessCheckAfter", livenessCheckAfter);
        notNegative("validationTimeout", validationTimeout);
        if (validationTimeout.isZero()) {
            throw bad("validationTimeout", "must be positive: a check that may wait forever would hang acquires");
        }
        if (resetQuery != null && resetQuery.indexOf('\0') >= 0) {
            throw bad("resetQuery", "contains a NUL character");
        }
        notNegative("leakDetectionThreshold", leakDetectionThreshold);
        notNegative("closeTimeout", closeTimeout);
        if (maxTransactionAttempts < 1) {
            throw bad("maxTransactionAttempts", "must be at least 1 (1 means no retry), not " + maxTransactionAttempts);
        }
        notNegative("retryBackoff", retryBackoff);
        if (listener == null) {
            throw bad("listener", "must not be null; use PoolListener.NONE");
        }
        if (pipelining < 1) {
            throw bad("pipelining", "must be at least 1 (1 means a connection per request), not " + pipelining);
        }
    }

    /**
     * Options from text settings, as a configuration file or the environment gives them: the
     * keys listed above, plus {@code url}, the libpq URI (whose query may hold pool keys too).
     * Hooks and the listener are set afterwards with {@link #toBuilder()}.
     *
     * @throws PgException naming the first unknown key or bad value
     */
    public static PoolOptions fromMap(Map<String, String> settings) {
        return fromMap(settings, "");
    }

    /**
     * Options from those {@code settings} whose keys start with {@code prefix} (which is cut
     * off), so one properties file can hold several pools and other things:
     * {@code fromMap(System.getProperties()-as-map, "db.")} reads {@code db.url},
     * {@code db.max_size}, ...; other keys are ignored, an unknown key under the prefix is an
     * error naming it.
     */
    public static PoolOptions fromMap(Map<String, String> settings, String prefix) {
        return builder().settings(settings, prefix).build();
    }

    /** A builder with the defaults: sizes 0 to 10, 30 s acquire timeout, 30 min lifetime, 10 min idle. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectOptions = connectOptions;
        b.minSize = minSize;
        b.maxSize = maxSize;
        b.acquireTimeout = acquireTimeout;
        b.maxLifetime = maxLifetime;
        b.maxLifetimeJitter = maxLifetimeJitter;
        b.idleTimeout = idleTimeout;
        b.maxQueries = maxQueries;
        b.livenessCheckAfter = livenessCheckAfter;
        b.validationTimeout = validationTimeout;
        b.resetQuery = resetQuery;
        b.init = init;
        b.setup = setup;
        b.leakDetectionThreshold = leakDetectionThreshold;
        b.closeTimeout = closeTimeout;
        b.maxTransactionAttempts = maxTransactionAttempts;
        b.retryBackoff = retryBackoff;
        b.listener = listener;
        b.resetEveryRelease = resetEveryRelease;
        b.pipelining = pipelining;
        return b;
    }

    private static void notNegative(String key, Duration value) {
        if (value == null) {
            throw bad(key, "must not be null (use Duration.ZERO where zero is allowed)");
        }
        if (value.isNegative()) {
            throw bad(key, "must not be negative, not " + value);
        }
    }

    private static PgException bad(String key, String problem) {
        return new PgException("PoolOptions." + key + " " + problem);
    }

    /** Builds {@link PoolOptions}; {@link #build()} checks every value. Not thread-safe. */
    public static final class Builder {
        private ConnectOptions connectOptions;
        private int minSize = 0;
        private int maxSize = 10;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration maxLifetimeJitter; // null: 1/40 of maxLifetime
        private Duration idleTimeout = Duration.ofMinutes(10);
        // Unlimited, as in HikariCP and pgx; maxLifetime bounds a backend's age. asyncpg's 50,000
        // replaced a busy connection every few seconds: at 28k borrows/s over the 4 connections
        // 4 callers keep warm, each reached it in 7 s, and every replacement paid a new backend,
        // SCRAM on both sides and a cold statement cache (W9's periodic dips to 0.65x).
        private long maxQueries = 0;
        private Duration livenessCheckAfter = Duration.ofSeconds(1);
        private Duration validationTimeout = Duration.ofSeconds(5);
        private String resetQuery;
        private Consumer<PgConnection> init;
        private Consumer<PgConnection> setup;
        private Duration leakDetectionThreshold = Duration.ZERO;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private int maxTransactionAttempts = 5;
        private int pipelining = DEFAULT_PIPELINING;
        private Duration retryBackoff = Duration.ofMillis(10);
        private PoolListener listener = PoolListener.NONE;
        private boolean resetEveryRelease;

        private Builder() {
        }

        public Builder connectOptions(ConnectOptions connectOptions) {
            this.connectOptions = connectOptions;
            return this;
        }

        /**
         * Shorthand for {@code connectOptions(ConnectOptions.fromUri(uri))}, where the URI's
         * query may also carry pool keys ({@code ?max_size=16&acquire_timeout=5s}), applied here.
         */
        public Builder uri(String uri) {
            this.connectOptions = PoolSettings.fromUri(this, uri);
            return this;
        }

        /**
         * Applies text settings as {@link PoolOptions#fromMap(Map, String)} reads them (use
         * {@code ""} for no prefix); keys not given keep their values.
         */
        public Builder settings(Map<String, String> settings, String prefix) {
            PoolSettings.apply(this, settings, prefix == null ? "" : prefix);
            return this;
        }

        public Builder minSize(int minSize) {
            this.minSize = minSize;
            return this;
        }

        public Builder maxSize(int maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
            return this;
        }

        public Builder maxLifetimeJitter(Duration maxLifetimeJitter) {
            this.maxLifetimeJitter = maxLifetimeJitter;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder maxQueries(long maxQueries) {
            this.maxQueries = maxQueries;
            return this;
        }

        public Builder livenessCheckAfter(Duration livenessCheckAfter) {
            this.livenessCheckAfter = livenessCheckAfter;
            return this;
        }

        public Builder validationTimeout(Duration validationTimeout) {
            this.validationTimeout = validationTimeout;
            return this;
        }

        public Builder resetQuery(String resetQuery) {
            this.resetQuery = resetQuery;
            return this;
        }

        public Builder init(Consumer<PgConnection> init) {
            this.init = init;
            return this;
        }

        public Builder setup(Consumer<PgConnection> setup) {
            this.setup = setup;
            return this;
        }

        public Builder leakDetectionThreshold(Duration leakDetectionThreshold) {
            this.leakDetectionThreshold = leakDetectionThreshold;
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Requests of the pool's own query methods in flight per connection (1: none shared);
         * see {@link PgPool} for what is pipelined and what keeps a connection to itself.
         */
        public Builder pipelining(int pipelining) {
            this.pipelining = pipelining;
            return this;
        }

        public Builder maxTransactionAttempts(int maxTransactionAttempts) {
            this.maxTransactionAttempts = maxTransactionAttempts;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder resetEveryRelease(boolean resetEveryRelease) {
            this.resetEveryRelease = resetEveryRelease;
            return this;
        }

        public Builder listener(PoolListener listener) {
            this.listener = listener;
            return this;
        }

        /** The options, checked; throws a {@link PgException} naming the first bad key. */
        public PoolOptions build() {
            Duration jitter = maxLifetimeJitter;
            if (jitter == null) {
                jitter = maxLifetime == null || maxLifetime.isNegative() ? Duration.ZERO : maxLifetime.dividedBy(40);
            }
            return new PoolOptions(connectOptions, minSize, maxSize, acquireTimeout, maxLifetime, jitter,
                    idleTimeout, maxQueries, livenessCheckAfter, validationTimeout, resetQuery, init, setup,
                    leakDetectionThreshold, closeTimeout, maxTransactionAttempts, retryBackoff, listener,
                    resetEveryRelease, pipelining);
        }
    }
}
