package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectOptions.ChannelBinding;
import io.pgloom.ConnectOptions.Endpoint;
import io.pgloom.ConnectOptions.SslNegotiation;
import io.pgloom.ConnectOptions.TargetSessionAttrs;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The environment fills what the string leaves out: explicit beats environment beats default. */
class ConnInfoEnvTest {

    @TempDir
    Path home;

    private static final Map<String, String> FULL_ENV = Map.ofEntries(
            Map.entry("PGHOST", "envhost"),
            Map.entry("PGPORT", "6000"),
            Map.entry("PGDATABASE", "envdb"),
            Map.entry("PGUSER", "envuser"),
            Map.entry("PGPASSWORD", "envpw"),
            Map.entry("PGOPTIONS", "-c search_path=env"),
            Map.entry("PGAPPNAME", "envapp"),
            Map.entry("PGSSLMODE", "verify-ca"),
            Map.entry("PGSSLROOTCERT", "/env/ca.pem"),
            Map.entry("PGSSLCERT", "/env/cert.pem"),
            Map.entry("PGSSLKEY", "/env/key.pem"),
            Map.entry("PGSSLNEGOTIATION", "direct"),
            Map.entry("PGCHANNELBINDING", "require"),
            Map.entry("PGCONNECT_TIMEOUT", "7"),
            Map.entry("PGTARGETSESSIONATTRS", "primary"));

    private ConnectOptions parse(String s, Map<String, String> env) {
        return ConnInfo.parse(s, env, home);
    }

    @Test
    void environmentFillsEverythingTheStringLeavesOut() {
        ConnectOptions o = parse("", FULL_ENV);
        assertThat(o.endpoints()).containsExactly(new Endpoint("envhost", 6000));
        assertThat(o.database()).isEqualTo("envdb");
        assertThat(o.user()).isEqualTo("envuser");
        assertThat(o.password()).isEqualTo("envpw");
        assertThat(o.options()).isEqualTo("-c search_path=env");
        assertThat(o.applicationName()).isEqualTo("envapp");
        assertThat(o.sslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(o.sslRootCert()).isEqualTo("/env/ca.pem");
        assertThat(o.sslCert()).isEqualTo("/env/cert.pem");
        assertThat(o.sslKey()).isEqualTo("/env/key.pem");
        assertThat(o.sslNegotiation()).isEqualTo(SslNegotiation.DIRECT);
        assertThat(o.channelBinding()).isEqualTo(ChannelBinding.REQUIRE);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(o.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.PRIMARY);
    }

    @Test
    void explicitUriBeatsEnvironment() {
        ConnectOptions o = parse("postgresql://u:p@h:1/d?sslmode=require&application_name=a&options=-cx%3Dy"
                + "&sslrootcert=/ca&sslnegotiation=postgres&channel_binding=disable&connect_timeout=0"
                + "&target_session_attrs=any", FULL_ENV);
        assertThat(o.endpoints()).containsExactly(new Endpoint("h", 1));
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.password()).isEqualTo("p");
        assertThat(o.database()).isEqualTo("d");
        assertThat(o.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(o.applicationName()).isEqualTo("a");
        assertThat(o.options()).isEqualTo("-cx=y");
        assertThat(o.sslRootCert()).isEqualTo("/ca");
        assertThat(o.sslNegotiation()).isEqualTo(SslNegotiation.POSTGRES);
        assertThat(o.channelBinding()).isEqualTo(ChannelBinding.DISABLE);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ZERO);
        assertThat(o.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
        // Not given in the string, so still from the environment:
        assertThat(o.sslCert()).isEqualTo("/env/cert.pem");
    }

    @Test
    void explicitConninfoBeatsEnvironment() {
        ConnectOptions o = parse("host=h user=u dbname=d", FULL_ENV);
        assertThat(o.endpoints()).containsExactly(new Endpoint("h", 6000)); // port still from PGPORT
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.database()).isEqualTo("d");
        assertThat(o.password()).isEqualTo("envpw");
    }

    @Test
    void defaultsWhenNeitherGivesAValue() {
        ConnectOptions o = parse("", Map.of());
        String osUser = System.getProperty("user.name");
        assertThat(o.endpoints()).containsExactly(new Endpoint("localhost", 5432));
        assertThat(o.user()).isEqualTo(osUser);
        assertThat(o.database()).isEqualTo(osUser);
        assertThat(o.password()).isNull();
        assertThat(o.sslMode()).isEqualTo(SslMode.PREFER);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ZERO);
    }

    @Test
    void databaseDefaultsToTheResolvedUser() {
        assertThat(parse("", Map.of("PGUSER", "envuser")).database()).isEqualTo("envuser");
        assertThat(parse("postgresql://uriuser@h", Map.of("PGUSER", "envuser")).database()).isEqualTo("uriuser");
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() {
        ConnectOptions o = parse("", Map.of("PGHOST", "", "PGPORT", "", "PGSSLMODE", ""));
        assertThat(o.endpoints()).containsExactly(new Endpoint("localhost", 5432));
        assertThat(o.sslMode()).isEqualTo(SslMode.PREFER);
    }

    @Test
    void severalHostsFromEnvironment() {
        assertThat(parse("", Map.of("PGHOST", "a,b", "PGPORT", "1,2")).endpoints())
                .containsExactly(new Endpoint("a", 1), new Endpoint("b", 2));
    }

    @Test
    void singleEnvironmentPortAppliesToEveryUriHost() {
        assertThat(parse("postgresql://a,b/db", Map.of("PGPORT", "6000")).endpoints())
                .containsExactly(new Endpoint("a", 6000), new Endpoint("b", 6000));
    }

    @Test
    void uriPortsReplaceEnvironmentPort() {
        // Once the string gives a port list, an empty entry means 5432, not PGPORT (as in libpq).
        assertThat(parse("postgresql://a:1,b/db", Map.of("PGPORT", "6000")).endpoints())
                .containsExactly(new Endpoint("a", 1), new Endpoint("b", 5432));
    }

    @Test
    void hostaddrFromEnvironment() {
        assertThat(parse("", Map.of("PGHOSTADDR", "192.0.2.9")).host()).isEqualTo("192.0.2.9");
    }

    @Test
    void applicationNameFromEnvironmentBeatsFallback() {
        assertThat(parse("fallback_application_name=fb", Map.of("PGAPPNAME", "env")).applicationName())
                .isEqualTo("env");
    }

    @Test
    void serviceVariableIsIgnored() {
        assertThat(parse("", Map.of("PGSERVICE", "mysvc")).host()).isEqualTo("localhost");
    }

    @Test
    void unrelatedVariablesAreIgnored() {
        assertThat(parse("", Map.of("PGFOO", "x", "HOST", "nothere")).host()).isEqualTo("localhost");
    }

    @Test
    void nullEnvironmentMeansEmpty() {
        assertThat(ConnInfo.parse("host=h", null, home).host()).isEqualTo("h");
    }

    // ---- bad values from the environment say where they came from ----

    @Test
    void badSslModeFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> parse("host=h", Map.of("PGSSLMODE", "bogus")))
                .isInstanceOf(PgException.class)
                .hasMessage("invalid sslmode \"bogus\" (from PGSSLMODE): use disable, allow, prefer, require,"
                        + " verify-ca or verify-full");
    }

    @Test
    void badPortFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> parse("host=h", Map.of("PGPORT", "x")))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("invalid port \"x\" for host \"h\" (from PGPORT)");
    }

    @Test
    void badConnectTimeoutFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> parse("", Map.of("PGCONNECT_TIMEOUT", "ten")))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("invalid connect_timeout \"ten\" (from PGCONNECT_TIMEOUT)");
    }

    @Test
    void explicitGoodValueHidesBadEnvironmentValue() {
        assertThat(parse("sslmode=disable", Map.of("PGSSLMODE", "bogus")).sslMode()).isEqualTo(SslMode.DISABLE);
    }

    @Test
    void portCountMismatchWithEnvironmentPorts() {
        assertThatThrownBy(() -> parse("host=a,b,c", Map.of("PGPORT", "1,2")))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("could not match 2 port numbers to 3 hosts: port \"1,2\" (from PGPORT)");
    }

    @Test
    void systemRootsFromEnvironmentWithWeakModeIsRefused() {
        assertThatThrownBy(() -> parse("sslmode=prefer", Map.of("PGSSLROOTCERT", "system")))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("weak sslmode \"prefer\" may not be used with sslrootcert=system (from PGSSLROOTCERT)");
    }
}
