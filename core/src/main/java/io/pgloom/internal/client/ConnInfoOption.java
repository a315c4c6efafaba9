package io.pgloom.internal.client;

import io.pgloom.PgException;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One connection option a URI or conninfo string may set: its libpq keyword, the environment
 * variable that supplies it when the string does not, and whether its value is a secret that
 * no error message may show.
 */
enum ConnInfoOption {
    HOST("host", "PGHOST"),
    HOSTADDR("hostaddr", "PGHOSTADDR"),
    PORT("port", "PGPORT"),
    DBNAME("dbname", "PGDATABASE"),
    USER("user", "PGUSER"),
    PASSWORD("password", "PGPASSWORD", true),
    PASSFILE("passfile", "PGPASSFILE"),
    CONNECT_TIMEOUT("connect_timeout", "PGCONNECT_TIMEOUT"),
    APPLICATION_NAME("application_name", "PGAPPNAME"),
    FALLBACK_APPLICATION_NAME("fallback_application_name", null),
    OPTIONS("options", "PGOPTIONS"),
    SSLMODE("sslmode", "PGSSLMODE"),
    SSLROOTCERT("sslrootcert", "PGSSLROOTCERT"),
    SSLCERT("sslcert", "PGSSLCERT"),
    SSLKEY("sslkey", "PGSSLKEY"),
    // libpq has no environment variable for the key's password, so neither do we.
    SSLPASSWORD("sslpassword", null, true),
    SSLNEGOTIATION("sslnegotiation", "PGSSLNEGOTIATION"),
    CHANNEL_BINDING("channel_binding", "PGCHANNELBINDING"),
    TARGET_SESSION_ATTRS("target_session_attrs", "PGTARGETSESSIONATTRS"),
    REQUIRE_AUTH("require_auth", "PGREQUIREAUTH"),
    LOAD_BALANCE_HOSTS("load_balance_hosts", "PGLOADBALANCEHOSTS"),
    // pgloom's own options; libpq does not know them, so they have no environment variable.
    STATEMENT_CACHE_SIZE("statement_cache_size", null),
    TRANSACTION_POOLER("transaction_pooler", null),
    GROUPED_READS("grouped_reads", null),
    COMMAND_TIMEOUT("command_timeout", null),
    READ_TIMEOUT("read_timeout", null),
    SCRAM_MAX_ITERATIONS("scram_max_iterations", null);

    /**
     * Keywords libpq accepts that pgloom does not implement. They are refused, not ignored,
     * because several of them (sslcrl, requirepeer) tighten security and a
     * user who wrote one must not silently lose it.
     */
    private static final Set<String> LIBPQ_ONLY = Set.of(
            "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
            "tcp_user_timeout", "sslcompression", "sslcrl", "sslcrldir", "sslsni", "sslcertmode",
            "ssl_min_protocol_version", "ssl_max_protocol_version", "sslkeylogfile", "requirepeer",
            "gssencmode", "krbsrvname", "gsslib", "gssdelegation", "service",
            "replication", "client_encoding", "min_protocol_version",
            "max_protocol_version", "scram_client_key", "scram_server_key",
            "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope");

    private final String keyword;
    private final String envVar;
    private final boolean secret;

    ConnInfoOption(String keyword, String envVar) {
        this(keyword, envVar, false);
    }

    ConnInfoOption(String keyword, String envVar, boolean secret) {
        this.keyword = keyword;
        this.envVar = envVar;
        this.secret = secret;
    }

    /** The name used in URIs, conninfo strings and error messages ({@code sslmode}). */
    String keyword() {
        return keyword;
    }

    /** The environment variable that supplies a default, or null when there is none. */
    String envVar() {
        return envVar;
    }

    /** True for passwords: their values never appear in a message. */
    boolean secret() {
        return secret;
    }

    /**
     * The option named by {@code keyword} (case-sensitive, as in libpq).
     *
     * @param where how the caller names the place the keyword came from, for the message
     * @throws PgException naming the keyword and listing the valid ones when it is unknown
     */
    static ConnInfoOption forKeyword(String keyword, String where) {
        ConnInfoOption option = find(keyword);
        if (option != null) {
            return option;
        }
        if (LIBPQ_ONLY.contains(keyword)) {
            throw new PgException(where + " \"" + keyword
                    + "\" is a libpq option that pgloom does not support; remove it (valid keys: "
                    + keywordList() + ")");
        }
        throw new PgException("unknown " + where + " \"" + keyword + "\"; valid keys: " + keywordList()
                + " (server settings go in options, as options=-c name=value)");
    }

    /** The option named by {@code keyword}, or null when there is none. */
    static ConnInfoOption find(String keyword) {
        for (ConnInfoOption option : values()) {
            if (option.keyword.equals(keyword)) {
                return option;
            }
        }
        return null;
    }

    private static String keywordList() {
        return Arrays.stream(values()).map(ConnInfoOption::keyword).collect(Collectors.joining(", "));
    }
}
