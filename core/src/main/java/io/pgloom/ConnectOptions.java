package io.pgloom;

import io.pgloom.internal.client.ConnInfo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to open a connection: where, who, how securely, and per-connection
 * settings. Immutable and thread-safe; a pool shares one.
 *
 * <pre>{@code
 * ConnectOptions options = ConnectOptions.fromUri("postgresql://app@db.internal/shop?sslmode=verify-full");
 * ConnectOptions same = ConnectOptions.builder()
 *         .host("db.internal").user("app").database("shop").sslMode(SslMode.VERIFY_FULL).build();
 * }</pre>
 *
 * <p>{@link #fromUri} reads libpq URIs and {@code key=value} conninfo strings; as libpq does,
 * the PG* environment variables and the password file ({@code PGPASSFILE}, {@code ~/.pgpass})
 * fill what the string leaves out. {@link #builder()} starts from libpq's defaults alone
 * (localhost, port 5432, the OS user, sslmode=prefer) and reads no environment.
 */
public final class ConnectOptions {

    /**
     * One host to try: a name or address and a port, or a Unix-domain socket directory.
     *
     * @param host the host name (checked against the server certificate under verify-full),
     *             an IP address, or a socket directory starting with '/'
     * @param port the TCP port, or the number in the socket's file name
     * @param address libpq's {@code hostaddr}: the IP address to connect to instead of
     *                resolving {@code host}, or null
     */
    public record Endpoint(String host, int port, String address) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new PgException("invalid port " + port + " for host " + host + ": use 1 to 65535");
            }
        }

        public Endpoint(String host, int port) {
            this(host, port, null);
        }

        /** True when {@code host} is a directory holding a Unix-domain socket. */
        public boolean isUnixSocket() {
            return address == null && (host.startsWith("/") || host.startsWith("@"));
        }

        /** Where to connect: the address when given, else the host. */
        public String connectTo() {
            return address != null ? address : host;
        }
    }

    /** Whether SCRAM channel binding is refused, used when TLS offers it, or demanded. */
    public enum ChannelBinding { DISABLE, PREFER, REQUIRE }

    /** How TLS starts: after an SSLRequest (every server) or at once (PostgreSQL 17+). */
    public enum SslNegotiation { POSTGRES, DIRECT }

    /**
     * Which kind of server a connection must reach, as libpq's {@code target_session_attrs}
     * names it; with several hosts, the ones that do not fit are skipped.
     */
    public enum TargetSessionAttrs {
        /** Any server will do (the default). */
        ANY,
        /** A server that accepts writes ({@code default_transaction_read_only} off, not in recovery). */
        READ_WRITE,
        /** A server that refuses writes (read-only by default, or in recovery). */
        READ_ONLY,
        /** A server not in recovery. */
        PRIMARY,
        /** A server in recovery (a standby). */
        STANDBY,
        /** A standby if one answers, else any server. */
        PREFER_STANDBY
    }

    /**
     * The order in which several hosts are tried, as libpq's {@code load_balance_hosts}
     * (PostgreSQL 16) names it.
     */
    public enum LoadBalanceHosts {
        /** In the order given (the default): the first host that fits gets every connection. */
        DISABLE,
        /** In a random order per connection, so that connections spread across the hosts that fit. */
        RANDOM
    }

    private final List<Endpoint> endpoints;
    private final String user;
    private final String password;
    private final String database;
    private final String applicationName;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final Duration readTimeout;
    private final String options;
    private final Map<String, String> serverSettings;
    private final int statementCacheSize;
    private final SslMode sslMode;
    private final String sslRootCert;
    private final String sslCert;
    private final String sslKey;
    private final String sslPassword;
    private final SslNegotiation sslNegotiation;
    private final ChannelBinding channelBinding;
    private final TargetSessionAttrs targetSessionAttrs;
    private final String requireAuth;
    /** PostgreSQL's default is 4096; a million costs well under a second, minutes start near a billion. */
    static final int DEFAULT_SCRAM_MAX_ITERATIONS = 1_000_000;
    private final int scramMaxIterations;
    private final QueryListener queryListener;
    private final System.Logger.Level noticeLogLevel;
    private final LoadBalanceHosts loadBalanceHosts;
    private final boolean transactionPooler;
    private final boolean groupedReads;

    private ConnectOptions(Builder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.user = b.user;
        this.password = b.password;
        this.database = b.database != null ? b.database : b.user;
        this.applicationName = b.applicationName;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.readTimeout = b.readTimeout;
        this.options = b.options;
        this.serverSettings = Map.copyOf(b.serverSettings);
        this.statementCacheSize = b.statementCacheSize;
        this.sslMode = b.sslMode;
        this.sslRootCert = b.sslRootCert;
        this.sslCert = b.sslCert;
        this.sslKey = b.sslKey;
        this.sslPassword = b.sslPassword;
        this.sslNegotiation = b.sslNegotiation;
        this.channelBinding = b.channelBinding;
        this.targetSessionAttrs = b.targetSessionAttrs;
        this.requireAuth = b.requireAuth;
        this.scramMaxIterations = b.scramMaxIterations;
        this.queryListener = b.queryListener;
        this.noticeLogLevel = b.noticeLogLevel;
        this.loadBalanceHosts = b.loadBalanceHosts;
        this.transactionPooler = b.transactionPooler;
        this.groupedReads = b.groupedReads;
    }

    /**
     * Parses a libpq URI ({@code postgresql://} or {@code postgres://}) or a {@code key=value}
     * conninfo string, then fills gaps from PG* environment variables and the password file.
     *
     * <pre>{@code
     * ConnectOptions.fromUri("postgresql://app@[::1]:5433,db2/shop?sslmode=require&connect_timeout=10");
     * ConnectOptions.fromUri("host=/var/run/postgresql dbname=shop options='-c search_path=app'");
     * }</pre>
     *
     * <p>Keys are libpq's (host, hostaddr, port, dbname, user, password, passfile,
     * connect_timeout, application_name, fallback_application_name, options, sslmode,
     * sslrootcert, sslcert, sslkey, sslpassword, sslnegotiation, channel_binding,
     * target_session_attrs) plus pgloom's {@code statement_cache_size} and
     * {@code command_timeout} and {@code read_timeout} (seconds, fractions allowed, such as
     * {@code read_timeout=0.5}; see {@link Builder#readTimeout}). Server settings go in
     * {@code options}, which is sent verbatim ({@code options=-c search_path=app}). Unlike
     * libpq, a missing host means {@code localhost} over TCP rather than a Unix-domain socket;
     * give {@code host=/var/run/postgresql} for a socket.
     *
     * @throws PgException naming the part that is malformed or the key that is unknown
     */
    public static ConnectOptions fromUri(String uri) {
        return ConnInfo.parse(uri, System.getenv(), null);
    }

    /** A builder holding libpq's defaults; reads no environment. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoints = new java.util.ArrayList<>(endpoints);
        b.user = user;
        b.password = password;
        b.database = database;
        b.applicationName = applicationName;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.readTimeout = readTimeout;
        b.options = options;
        b.serverSettings = new LinkedHashMap<>(serverSettings);
        b.statementCacheSize = statementCacheSize;
        b.sslMode = sslMode;
        b.sslRootCert = sslRootCert;
        b.sslCert = sslCert;
        b.sslKey = sslKey;
        b.sslPassword = sslPassword;
        b.sslNegotiation = sslNegotiation;
        b.channelBinding = channelBinding;
        b.requireAuth = requireAuth;
        b.scramMaxIterations = scramMaxIterations;
        b.targetSessionAttrs = targetSessionAttrs;
        b.queryListener = queryListener;
        b.noticeLogLevel = noticeLogLevel;
        b.loadBalanceHosts = loadBalanceHosts;
        b.transactionPooler = transactionPooler;
        b.groupedReads = groupedReads;
        return b;
    }

    /** The hosts to try, in order; never empty. */
    public List<Endpoint> endpoints() { return endpoints; }

    /** The first host. */
    public String host() { return endpoints.get(0).host(); }

    /** The first host's port. */
    public int port() { return endpoints.get(0).port(); }

    public String user() { return user; }

    /** The password, or null when none was given (the server may not ask). */
    public String password() { return password; }

    public String database() { return database; }

    /** The application_name reported to the server, or null. */
    public String applicationName() { return applicationName; }

    /** How long connecting (TCP, TLS and authentication) may take; zero means no limit. */
    public Duration connectTimeout() { return connectTimeout; }

    /** The default timeout of each query; zero means none. */
    public Duration commandTimeout() { return commandTimeout; }

    /** How long a wait for the server's reply may go without a byte arriving; zero means no limit. */
    public Duration readTimeout() { return readTimeout; }

    /** Command-line options sent at startup ({@code -c search_path=app}), or null. */
    public String options() { return options; }

    /** Server settings sent in the StartupMessage (search_path, TimeZone, ...). */
    public Map<String, String> serverSettings() { return serverSettings; }

    /** How many prepared statements a connection keeps; 0 means unnamed statements only. */
    public int statementCacheSize() { return statementCacheSize; }

    public SslMode sslMode() { return sslMode; }

    /** A PEM file of trusted root certificates, {@code "system"} for the JDK's, or null. */
    public String sslRootCert() { return sslRootCert; }

    /** A PEM client certificate file, or null. */
    public String sslCert() { return sslCert; }

    /** A PEM PKCS#8 private key file for {@link #sslCert()}, or null. */
    public String sslKey() { return sslKey; }

    /** The password of an encrypted {@link #sslKey()}, or null. */
    public String sslPassword() { return sslPassword; }

    public SslNegotiation sslNegotiation() { return sslNegotiation; }

    public ChannelBinding channelBinding() { return channelBinding; }

    /**
     * libpq's {@code require_auth}: the authentication methods accepted from the server
     * ({@code "scram-sha-256"}, {@code "!password,!md5"}, ...), or null for any.
     */
    public String requireAuth() { return requireAuth; }

    /**
     * The most SCRAM iterations a server may ask for (1,000,000 by default): a hostile or
     * spoofed server asking for more is refused before any hashing, instead of costing minutes.
     */
    public int scramMaxIterations() { return scramMaxIterations; }

    /** Which kind of server to accept among {@link #endpoints()}; {@code ANY} by default. */
    public TargetSessionAttrs targetSessionAttrs() { return targetSessionAttrs; }

    /** Told about every query after it ended; null (the default) for none. */
    public QueryListener queryListener() { return queryListener; }

    /**
     * The level at which the server's NOTICE, INFO, LOG and DEBUG messages are logged to the
     * {@code io.pgloom.notice} logger; {@code DEBUG} by default, so a routine
     * "relation ... already exists, skipping" stays out of an application's log. WARNINGs are
     * always logged at {@code WARNING}.
     */
    public System.Logger.Level noticeLogLevel() { return noticeLogLevel; }
    /** Whether hosts are tried in the order given or in a random order; {@code DISABLE} by default. */
    public LoadBalanceHosts loadBalanceHosts() { return loadBalanceHosts; }

    /**
     * Whether the connection goes through a pooler in transaction mode, such as PgBouncer with
     * {@code pool_mode = transaction}; see {@link Builder#transactionPooler(boolean)}.
     */
    public boolean transactionPooler() { return transactionPooler; }

    /**
     * Whether plain reads pipelined together on a shared connection share one Sync; see
     * {@link Builder#groupedReads(boolean)}.
     */
    public boolean groupedReads() { return groupedReads; }

    @Override
    public String toString() {
        return "ConnectOptions{endpoints=" + endpoints + ", user=" + user + ", database=" + database
                + ", password=" + (password == null ? "none" : "***") + ", sslMode=" + sslMode
                + ", sslNegotiation=" + sslNegotiation + ", channelBinding=" + channelBinding
                + ", targetSessionAttrs=" + targetSessionAttrs + ", loadBalanceHosts=" + loadBalanceHosts
                + ", transactionPooler=" + transactionPooler + ", groupedReads=" + groupedReads
                + ", applicationName=" + applicationName + ", connectTimeout=" + connectTimeout
                + ", commandTimeout=" + commandTimeout + ", readTimeout=" + readTimeout
                + ", statementCacheSize=" + statementCacheSize + "}";
    }

    /** Builds {@link ConnectOptions}, failing fast on a bad value; not thread-safe. */
    public static final class Builder {
        private List<Endpoint> endpoints = new java.util.ArrayList<>(List.of(new Endpoint("localhost", 5432)));
        private String user = System.getProperty("user.name");
        private String password;
        private String database;
        private String applicationName;
        private Duration connectTimeout = Duration.ZERO;
        private Duration commandTimeout = Duration.ZERO;
        private Duration readTimeout = Duration.ZERO;
        private String options;
        private Map<String, String> serverSettings = new LinkedHashMap<>();
        private int statementCacheSize = 100;
        private SslMode sslMode = SslMode.PREFER;
        private String sslRootCert;
        private String sslCert;
        private String sslKey;
        private String sslPassword;
        private SslNegotiation sslNegotiation = SslNegotiation.POSTGRES;
        private ChannelBinding channelBinding = ChannelBinding.PREFER;
        private String requireAuth;
        private int scramMaxIterations = DEFAULT_SCRAM_MAX_ITERATIONS;
        private TargetSessionAttrs targetSessionAttrs = TargetSessionAttrs.ANY;
        private QueryListener queryListener;
        private System.Logger.Level noticeLogLevel = System.Logger.Level.DEBUG;
        private LoadBalanceHosts loadBalanceHosts = LoadBalanceHosts.DISABLE;
        private boolean transactionPooler;
        private boolean groupedReads = true;

        private Builder() {
        }

        /** Sets one host at port 5432 unless {@link #port} follows. */
        public Builder host(String host) {
            int port = endpoints.isEmpty() ? 5432 : endpoints.get(0).port();
            endpoints = new java.util.ArrayList<>(List.of(new Endpoint(requireText("host", host), port)));
            return this;
        }

        /** Sets the port of the (single) host. */
        public Builder port(int port) {
            String host = endpoints.isEmpty() ? "localhost" : endpoints.get(0).host();
            endpoints = new java.util.ArrayList<>(List.of(new Endpoint(host, port)));
            return this;
        }

        /** Sets several hosts, tried in order until one accepts. */
        public Builder endpoints(List<Endpoint> endpoints) {
            if (endpoints.isEmpty()) {
                throw new PgException("endpoints: give at least one host");
            }
            this.endpoints = new java.util.ArrayList<>(endpoints);
            return this;
        }

        public Builder user(String user) {
            this.user = requireText("user", user);
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder database(String database) {
            this.database = requireText("database", database);
            return this;
        }

        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireNonNegative("connectTimeout", timeout);
            return this;
        }

        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = requireNonNegative("commandTimeout", timeout);
            return this;
        }

        /**
         * Breaks the connection when, while a call waits for the server's reply, no byte arrives
         * for longer than {@code timeout}: the connection is closed (a pool discards it) and the
         * waiting call fails with a {@link ConnectionException} naming the read timeout. This is
         * what ends a call on a network that silently drops packets, which TCP alone may take many
         * minutes to notice. A write that the server or network stops taking for that long (a
         * COPY into a dead network) ends the same way. Zero (the default) turns it off; the key
         * is {@code read_timeout} in seconds.
         *
         * <pre>{@code
         * ConnectOptions.builder().readTimeout(Duration.ofSeconds(30)).commandTimeout(Duration.ofSeconds(10));
         * ConnectOptions.fromUri("postgresql://app@db/shop?read_timeout=30");
         * }</pre>
         *
         * <p>An idle connection never trips it (nothing is awaited), nor does a cursor between
         * fetches, nor a query or COPY that keeps sending rows, nor a wait for a notification
         * (until its own timeout has asked the server to end it). Like pgjdbc's
         * {@code socketTimeout}, though, a query that legitimately works longer than
         * {@code timeout} before sending its first byte does trip it and loses its connection:
         * set it well above the slowest query, and bound slow queries with
         * {@link #commandTimeout}, which cancels the query and keeps the connection.
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = requireNonNegative("readTimeout", timeout);
            return this;
        }

        public Builder options(String options) {
            this.options = options;
            return this;
        }

        /** Adds a server setting sent at startup, such as {@code ("search_path", "app")}. */
        public Builder serverSetting(String name, String value) {
            serverSettings.put(requireText("server setting name", name), Objects.requireNonNull(value, name));
            return this;
        }

        public Builder statementCacheSize(int size) {
            if (size < 0) {
                throw new PgException("statementCacheSize must be 0 or more, not " + size);
            }
            this.statementCacheSize = size;
            return this;
        }

        public Builder sslMode(SslMode mode) {
            this.sslMode = Objects.requireNonNull(mode, "sslMode");
            return this;
        }

        public Builder sslRootCert(String path) {
            this.sslRootCert = path;
            return this;
        }

        public Builder sslCert(String path) {
            this.sslCert = path;
            return this;
        }

        public Builder sslKey(String path) {
            this.sslKey = path;
            return this;
        }

        public Builder sslPassword(String password) {
            this.sslPassword = password;
            return this;
        }

        public Builder sslNegotiation(SslNegotiation negotiation) {
            this.sslNegotiation = Objects.requireNonNull(negotiation, "sslNegotiation");
            return this;
        }

        /**
         * Accepts only these authentication methods from the server, with libpq 16's syntax:
         * {@code "scram-sha-256"}, {@code "password,md5"}, {@code "!password"}, {@code "none"}.
         * A server that asks for another is refused before any password byte is sent.
         */
        public Builder requireAuth(String methods) {
            io.pgloom.internal.auth.RequireAuth.parse(methods); // fails fast, naming the bad entry
            this.requireAuth = methods == null || methods.isBlank() ? null : methods;
            return this;
        }

        /** The most SCRAM iterations to compute for a server (1,000,000 by default). */
        public Builder scramMaxIterations(int max) {
            if (max < 1) {
                throw new PgException("scram_max_iterations must be 1 or more, not " + max);
            }
            this.scramMaxIterations = max;
            return this;
        }

        public Builder channelBinding(ChannelBinding binding) {
            this.channelBinding = Objects.requireNonNull(binding, "channelBinding");
            return this;
        }

        /** Sets which kind of server to accept; see {@link TargetSessionAttrs}. */
        public Builder targetSessionAttrs(TargetSessionAttrs attrs) {
            this.targetSessionAttrs = Objects.requireNonNull(attrs, "targetSessionAttrs");
            return this;
        }

        /** Sets the listener told about every query after it ended; null for none. */
        public Builder queryListener(QueryListener listener) {
            this.queryListener = listener;
            return this;
        }

        /** Sets the order in which several hosts are tried; see {@link LoadBalanceHosts}. */
        public Builder loadBalanceHosts(LoadBalanceHosts order) {
            this.loadBalanceHosts = Objects.requireNonNull(order, "loadBalanceHosts");
            return this;
        }

        /**
         * Sets the level for the server's NOTICE, INFO, LOG and DEBUG messages on the
         * {@code io.pgloom.notice} logger ({@code DEBUG} by default; {@code OFF} drops them).
         */
        public Builder noticeLogLevel(System.Logger.Level level) {
            this.noticeLogLevel = Objects.requireNonNull(level, "noticeLogLevel");
            return this;
        }

        /**
         * Declares that the connection goes through a pooler in transaction mode (PgBouncer's
         * {@code pool_mode = transaction}), which may hand each transaction, or each statement
         * outside one, to a different server session. Then pgloom keeps nothing on the server
         * between requests: no named prepared statements (each query parses and describes the
         * unnamed statement, then sends Parse again with its Bind, as pgx's describe-exec mode
         * does: two round trips), protocol 3.0, and LISTEN (which needs a session of its own) is
         * refused with a clear error. URI key {@code transaction_pooler=true}.
         *
         * <pre>{@code
         * PgConnection.connect("postgresql://app@bouncer:6432/shop?transaction_pooler=true");
         * }</pre>
         */
        public Builder transactionPooler(boolean throughTransactionPooler) {
            this.transactionPooler = throughTransactionPooler;
            return this;
        }

        /**
         * Whether plain reads that go out together share one Sync: callers' reads on a shared
         * connection (the pool's {@code fetch}, {@code fetchRow} and {@code fetchVal}, or
         * {@link PgConnection#shared()}), and consecutive reads of a {@link PgConnection#pipeline()}
         * outside a transaction. The server then runs them in one implicit transaction and
         * flushes their replies once, which halves what a point select costs it. On by default.
         * A plain read is a {@code SELECT}, {@code VALUES} or {@code TABLE} whose text shows no row lock,
         * {@code INTO}, sequence, transaction id, advisory lock, sleep or other function with an
         * effect outside its transaction. Every result is held until the shared commit, and when
         * one statement fails, the others are sent again, each alone, so no caller sees another's
         * error. What the text cannot show: a function called from such a {@code SELECT} that
         * sets a transaction-local value ({@code SET LOCAL}, {@code set_config(..., true)}) would
         * share it with the reads after it, {@code now()} is the group's start, and a read that
         * takes long holds back the results of the reads ahead of it in its group. Switch it off
         * when your reads call such functions. URI key {@code grouped_reads=false}.
         *
         * <pre>{@code
         * ConnectOptions options = ConnectOptions.fromUri("postgresql://app@db/shop?grouped_reads=false");
         * }</pre>
         */
        public Builder groupedReads(boolean share) {
            this.groupedReads = share;
            return this;
        }

        public ConnectOptions build() {
            if (user == null || user.isEmpty()) {
                throw new PgException("user: no user name given and none could be taken from the OS");
            }
            if (sslNegotiation == SslNegotiation.DIRECT
                    && (sslMode == SslMode.DISABLE || sslMode == SslMode.ALLOW || sslMode == SslMode.PREFER)) {
                throw new PgException("sslnegotiation=direct needs sslmode=require, verify-ca or verify-full, not "
                        + sslMode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
            if (channelBinding == ChannelBinding.REQUIRE && sslMode == SslMode.DISABLE) {
                throw new PgException("channel_binding=require needs TLS, but sslmode=disable");
            }
            return new ConnectOptions(this);
        }

        private static String requireText(String key, String value) {
            if (value == null || value.isEmpty()) {
                throw new PgException(key + " must not be empty");
            }
            return value;
        }

        private static Duration requireNonNegative(String key, Duration d) {
            if (d == null || d.isNegative()) {
                throw new PgException(key + " must be zero (none) or positive, not " + d);
            }
            return d;
        }
    }
}
