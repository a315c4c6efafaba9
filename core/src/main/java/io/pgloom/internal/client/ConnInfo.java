package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectOptions.ChannelBinding;
import io.pgloom.ConnectOptions.Endpoint;
import io.pgloom.ConnectOptions.SslNegotiation;
import io.pgloom.ConnectOptions.TargetSessionAttrs;
import io.pgloom.PgException;
import io.pgloom.SslMode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a libpq connection URI or conninfo string into {@link ConnectOptions}, filling what it
 * leaves out from the environment and the password file, as libpq does.
 *
 * <p>Each option is taken from the first of: the string (for a URI, query parameters override
 * the user, host, port and database parts); its PG* environment variable (an empty variable
 * counts as unset); the default. Then, if no password came from either, the password file
 * ({@code passfile=}, else {@code PGPASSFILE}, else {@code <home>/.pgpass}, or
 * {@code %APPDATA%\postgresql\pgpass.conf} on Windows) is searched for the first host that has
 * a matching line. A {@link ConnectOptions} holds one password for all its hosts.
 *
 * <p>Where pgloom differs from libpq, on purpose:
 * <ul>
 *   <li>With no host given, pgloom connects to {@code localhost} over TCP; libpq uses a
 *       Unix-domain socket in a directory fixed when libpq was compiled ({@code /tmp} or
 *       {@code /var/run/postgresql}), which a Java library cannot know. Give
 *       {@code host=/var/run/postgresql} to use a socket.</li>
 *   <li>{@code options} is passed to the server verbatim as the startup {@code options}
 *       parameter, so {@code options=-c search_path=app} and any other server setting
 *       work exactly as with libpq; it is not also split into
 *       {@link ConnectOptions#serverSettings()}, which would send each setting twice.</li>
 *   <li>{@code hostaddr} is where pgloom connects; {@code host}, when given too, finds the
 *       password-file line and is the name {@code verify-full} checks the certificate against,
 *       as in libpq.</li>
 *   <li>Values are checked while parsing (a bad port fails here, not when connecting), and
 *       libpq keywords pgloom does not implement are refused rather than ignored.</li>
 *   <li>{@code PGSERVICE} and {@code service=} (pg_service.conf) are not supported.</li>
 * </ul>
 *
 * <p>pgloom's own keys: {@code statement_cache_size} (an integer, 0 or more),
 * {@code command_timeout} and {@code read_timeout} (seconds, fractions allowed, 0 for none) and
 * {@code transaction_pooler} (true behind PgBouncer in transaction mode) and {@code grouped_reads}
 * (false to give every pipelined read a Sync of its own).
 */
public final class ConnInfo {

    private static final int DEFAULT_PORT = 5432;
    private static final String DEFAULT_HOST = "localhost";

    private ConnInfo() {
    }

    /**
     * Parses {@code uriOrConninfo} into connection options.
     *
     * @param uriOrConninfo a {@code postgresql://} or {@code postgres://} URI, or a conninfo
     *        string of {@code key=value} pairs; an empty string means "all from the
     *        environment and defaults"
     * @param env the environment variables to read (PGHOST, PGUSER, ...), usually
     *        {@link System#getenv()}
     * @param home the home directory holding {@code .pgpass}, or null for
     *        {@code System.getProperty("user.home")}
     * @throws PgException naming the part, key or value that is wrong (never a password)
     */
    public static ConnectOptions parse(String uriOrConninfo, Map<String, String> env, Path home) {
        if (uriOrConninfo == null) {
            throw new PgException("connection string is null; give a postgresql:// URI, key=value pairs,"
                    + " or \"\" for the defaults");
        }
        String text = uriOrConninfo.strip();
        Map<ConnInfoOption, String> given;
        if (ConnInfoUri.isUri(text)) {
            given = ConnInfoUri.parse(text);
        } else {
            String scheme = ConnInfoUri.foreignScheme(text);
            if (scheme != null) {
                throw new PgException("invalid connection URI: unknown scheme \"" + scheme
                        + "\"; use postgresql:// or postgres://" + ConnInfoUri.schemeHint(scheme));
            }
            given = ConnInfoString.parse(text);
        }
        return new Resolution(given, env == null ? Map.of() : env).toOptions(home);
    }

    /** One option's value and where it came from, for messages. */
    private record Value(String text, String origin) {
    }

    /** The options of one parse, merged with the environment, and the steps that build from them. */
    private static final class Resolution {
        private final Map<ConnInfoOption, String> given;
        private final Map<String, String> env;

        Resolution(Map<ConnInfoOption, String> given, Map<String, String> env) {
            this.given = given;
            this.env = env;
        }

        /** The string's value, else the environment's, else null; empty counts as unset. */
        Value value(ConnInfoOption option) {
            String text = given.get(option);
            if (text != null && !text.isEmpty()) {
                return new Value(text, null);
            }
            if (option.envVar() != null) {
                text = env.get(option.envVar());
                if (text != null && !text.isEmpty()) {
                    return new Value(text, option.envVar());
                }
            }
            return null;
        }

        String text(ConnInfoOption option) {
            Value v = value(option);
            return v == null ? null : v.text();
        }

        ConnectOptions toOptions(Path home) {
            ConnectOptions.Builder b = ConnectOptions.builder();
            List<Target> targets = targets();
            b.endpoints(targets.stream().map(Target::endpoint).toList());

            String user = text(ConnInfoOption.USER);
            if (user == null) {
                user = System.getProperty("user.name");
            }
            if (user != null && !user.isEmpty()) {
                b.user(user);
            }
            String database = text(ConnInfoOption.DBNAME);
            if (database != null) {
                b.database(database);
            }

            String application = text(ConnInfoOption.APPLICATION_NAME);
            b.applicationName(application != null ? application : text(ConnInfoOption.FALLBACK_APPLICATION_NAME));
            b.options(text(ConnInfoOption.OPTIONS));
            timeouts(b);
            tls(b);
            b.sslPassword(text(ConnInfoOption.SSLPASSWORD));
            b.targetSessionAttrs(choice(ConnInfoOption.TARGET_SESSION_ATTRS, TargetSessionAttrs.values(),
                    TargetSessionAttrs.ANY));
            b.requireAuth(text(ConnInfoOption.REQUIRE_AUTH));
            Value iterations = value(ConnInfoOption.SCRAM_MAX_ITERATIONS);
            if (iterations != null) {
                b.scramMaxIterations(integer(iterations, ConnInfoOption.SCRAM_MAX_ITERATIONS, 1, Integer.MAX_VALUE,
                        "give a whole number of iterations, 1 or more"));
            }
            b.loadBalanceHosts(choice(ConnInfoOption.LOAD_BALANCE_HOSTS, ConnectOptions.LoadBalanceHosts.values(),
                    ConnectOptions.LoadBalanceHosts.DISABLE));
            Boolean pooler = bool(ConnInfoOption.TRANSACTION_POOLER);
            if (pooler != null) {
                b.transactionPooler(pooler);
            }
            Boolean grouped = bool(ConnInfoOption.GROUPED_READS);
            if (grouped != null) {
                b.groupedReads(grouped);
            }
            Value cacheSize = value(ConnInfoOption.STATEMENT_CACHE_SIZE);
            if (cacheSize != null) {
                b.statementCacheSize(integer(cacheSize, ConnInfoOption.STATEMENT_CACHE_SIZE, 0, Integer.MAX_VALUE,
                        "give a whole number of statements, 0 or more"));
            }

            String password = text(ConnInfoOption.PASSWORD);
            if (password == null && user != null) {
                password = passwordFromFile(home, targets, user, database != null ? database : user);
            }
            b.password(password);
            return b.build();
        }

        /** One host to try and the name its password-file line carries. */
        private record Target(Endpoint endpoint, String passwordHost) {
        }

        /**
         * The hosts to try, from host/hostaddr and port: one port for all hosts or one per host,
         * an empty entry meaning the default, as in libpq.
         */
        private List<Target> targets() {
            Value host = value(ConnInfoOption.HOST);
            Value hostaddr = value(ConnInfoOption.HOSTADDR);
            List<String> names = host == null ? null : split(host.text());
            List<String> addresses = hostaddr == null ? null : split(hostaddr.text());
            if (names != null && addresses != null && names.size() != addresses.size()) {
                throw new PgException("could not match " + names.size() + " host names" + from(host)
                        + " to " + addresses.size() + " hostaddr values" + from(hostaddr)
                        + "; give one address per host");
            }
            int count = names != null ? names.size() : addresses != null ? addresses.size() : 1;

            Value port = value(ConnInfoOption.PORT);
            List<String> ports = port == null ? List.of("") : split(port.text());
            if (ports.size() != 1 && ports.size() != count) {
                throw new PgException("could not match " + ports.size() + " port numbers to " + count
                        + " hosts: port \"" + port.text() + "\"" + from(port)
                        + "; give one port for all hosts or one per host");
            }

            List<Target> targets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = names == null ? "" : names.get(i);
                String address = addresses == null ? "" : addresses.get(i);
                String connectTo = !address.isEmpty() ? address : !name.isEmpty() ? name : DEFAULT_HOST;
                String portText = ports.size() == 1 ? ports.get(0) : ports.get(i);
                int portNumber = portText.isEmpty() ? DEFAULT_PORT : port(portText, port, connectTo);
                // With both host and hostaddr, connect to the address and check the certificate
                // against the name, as libpq does.
                Endpoint endpoint = !name.isEmpty() && !address.isEmpty()
                        ? new Endpoint(name, portNumber, address) : new Endpoint(connectTo, portNumber);
                targets.add(new Target(endpoint, !name.isEmpty() ? name : connectTo));
            }
            return targets;
        }

        private static int port(String text, Value origin, String host) {
            try {
                int port = Integer.parseInt(text);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below, with the same advice as an out-of-range number
            }
            String hint = text.contains(":")
                    ? "; put an IPv6 address in brackets: postgresql://[::1]:5432/db" : "";
            throw new PgException("invalid port \"" + text + "\" for host \"" + host + "\"" + from(origin)
                    + ": use a number from 1 to 65535" + hint);
        }

        private void timeouts(ConnectOptions.Builder b) {
            Value connect = value(ConnInfoOption.CONNECT_TIMEOUT);
            if (connect != null) {
                int seconds = integer(connect, ConnInfoOption.CONNECT_TIMEOUT, Integer.MIN_VALUE, Integer.MAX_VALUE,
                        "give whole seconds, 0 for no limit");
                // libpq: zero or negative means no limit, and 1 is raised to 2 because a
                // one-second timer can fire almost at once.
                b.connectTimeout(seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(Math.max(seconds, 2)));
            }
            Value command = value(ConnInfoOption.COMMAND_TIMEOUT);
            if (command != null) {
                b.commandTimeout(seconds(command, ConnInfoOption.COMMAND_TIMEOUT));
            }
            Value read = value(ConnInfoOption.READ_TIMEOUT);
            if (read != null) {
                b.readTimeout(seconds(read, ConnInfoOption.READ_TIMEOUT));
            }
        }

        private void tls(ConnectOptions.Builder b) {
            Value rootCert = value(ConnInfoOption.SSLROOTCERT);
            b.sslRootCert(rootCert == null ? null : rootCert.text());
            b.sslCert(text(ConnInfoOption.SSLCERT));
            b.sslKey(text(ConnInfoOption.SSLKEY));

            Value mode = value(ConnInfoOption.SSLMODE);
            boolean systemRoots = rootCert != null && rootCert.text().equals("system");
            // libpq 16+: trusting the whole system store is only safe with host name checks,
            // so sslrootcert=system defaults to verify-full and refuses anything weaker.
            SslMode sslMode = choice(ConnInfoOption.SSLMODE, SslMode.values(),
                    systemRoots ? SslMode.VERIFY_FULL : SslMode.PREFER);
            if (systemRoots && sslMode != SslMode.VERIFY_FULL) {
                throw new PgException("weak sslmode \"" + mode.text() + "\"" + from(mode)
                        + " may not be used with sslrootcert=system" + from(rootCert) + "; use sslmode=verify-full");
            }
            b.sslMode(sslMode);
            b.sslNegotiation(choice(ConnInfoOption.SSLNEGOTIATION, SslNegotiation.values(), SslNegotiation.POSTGRES));
            b.channelBinding(choice(ConnInfoOption.CHANNEL_BINDING, ChannelBinding.values(), ChannelBinding.PREFER));
        }

        private String passwordFromFile(Path home, List<Target> targets, String user, String database) {
            Value passfile = value(ConnInfoOption.PASSFILE);
            Path file;
            try {
                file = passfile != null ? Path.of(passfile.text()) : defaultPassFile(home);
            } catch (InvalidPathException e) {
                throw new PgException("invalid passfile \"" + passfile.text() + "\"" + from(passfile)
                        + ": " + e.getReason(), e);
            }
            if (file == null) {
                return null;
            }
            PgPass pgpass = PgPass.load(file);
            for (Target target : targets) {
                String password = pgpass.password(target.passwordHost(), target.endpoint().port(), database, user);
                if (password != null) {
                    return password;
                }
            }
            return null;
        }

        private Path defaultPassFile(Path home) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                String appData = env.get("APPDATA");
                return appData == null || appData.isEmpty() ? null : Path.of(appData, "postgresql", "pgpass.conf");
            }
            if (home == null) {
                String userHome = System.getProperty("user.home");
                if (userHome == null || userHome.isEmpty()) {
                    return null;
                }
                home = Path.of(userHome);
            }
            return home.resolve(".pgpass");
        }

        /** Reads a value spelled as one of {@code choices}' names in lower case with '-' for '_'. */
        private <E extends Enum<E>> E choice(ConnInfoOption option, E[] choices, E fallback) {
            Value v = value(option);
            if (v == null) {
                return fallback;
            }
            for (E e : choices) {
                if (spelling(e).equals(v.text())) {
                    return e;
                }
            }
            List<String> names = Arrays.stream(choices).map(ConnInfo::spelling).toList();
            throw new PgException("invalid " + option.keyword() + " \"" + v.text() + "\"" + from(v) + ": use "
                    + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
        }

        /** Reads true/on/yes/1 or false/off/no/0; null when the option is not set. */
        private Boolean bool(ConnInfoOption option) {
            Value v = value(option);
            if (v == null) {
                return null;
            }
            return switch (v.text().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "on", "yes", "1" -> true;
                case "false", "off", "no", "0" -> false;
                default -> throw new PgException("invalid " + option.keyword() + " value \"" + v.text() + "\""
                        + from(v) + "; give true or false");
            };
        }

        private static int integer(Value v, ConnInfoOption option, int min, int max, String advice) {
            try {
                int n = Integer.parseInt(v.text().strip());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new PgException("invalid " + option.keyword() + " \"" + v.text() + "\"" + from(v) + ": " + advice);
        }

        private static Duration seconds(Value v, ConnInfoOption option) {
            try {
                BigDecimal seconds = new BigDecimal(v.text().strip());
                if (seconds.signum() >= 0) {
                    long nanos = seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
                    return Duration.ofNanos(nanos);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
            throw new PgException("invalid " + option.keyword() + " \"" + v.text() + "\"" + from(v)
                    + ": give seconds (fractions allowed, such as 2.5), 0 for no limit");
        }

        private static List<String> split(String list) {
            return Arrays.stream(list.split(",", -1)).map(String::strip).collect(Collectors.toList());
        }

        /** " (from PGPORT)" for a value from the environment, "" for one from the string. */
        private static String from(Value v) {
            return v == null || v.origin() == null ? "" : " (from " + v.origin() + ")";
        }
    }

    /** libpq's spelling of an enum constant: VERIFY_FULL is "verify-full". */
    private static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
