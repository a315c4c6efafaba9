package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectOptions.Endpoint;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** URIs: every part optional, percent-decoding, IPv6, several hosts, query parameters, bad input. */
class ConnInfoUriTest {

    private static final String OS_USER = System.getProperty("user.name");

    @TempDir
    Path home; // empty: no .pgpass, so nothing from the machine leaks in

    private ConnectOptions parse(String uri) {
        return ConnInfo.parse(uri, Map.of(), home);
    }

    private PgException failure(String uri) {
        try {
            parse(uri);
        } catch (PgException e) {
            assertThat(e.sqlState()).as("client-side error").isNull();
            return e;
        }
        throw new AssertionError("expected a PgException for " + uri);
    }

    @Test
    void fullUriSetsEveryPart() {
        ConnectOptions o = parse("postgresql://app:secret@db.example.com:6543/shop?sslmode=require&application_name=web");
        assertThat(o.endpoints()).containsExactly(new Endpoint("db.example.com", 6543));
        assertThat(o.user()).isEqualTo("app");
        assertThat(o.password()).isEqualTo("secret");
        assertThat(o.database()).isEqualTo("shop");
        assertThat(o.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(o.applicationName()).isEqualTo("web");
    }

    @Test
    void bareSchemeGivesDefaults() {
        ConnectOptions o = parse("postgresql://");
        assertThat(o.endpoints()).containsExactly(new Endpoint("localhost", 5432));
        assertThat(o.user()).isEqualTo(OS_USER);
        assertThat(o.database()).isEqualTo(OS_USER);
        assertThat(o.password()).isNull();
        assertThat(o.sslMode()).isEqualTo(SslMode.PREFER);
    }

    @Test
    void shortSchemeIsAccepted() {
        ConnectOptions o = parse("postgres://u@h/d");
        assertThat(o.host()).isEqualTo("h");
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.database()).isEqualTo("d");
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(parse("PostgreSQL://h/d").host()).isEqualTo("h");
    }

    @Test
    void databaseWithoutHost() {
        ConnectOptions o = parse("postgresql:///mydb");
        assertThat(o.host()).isEqualTo("localhost");
        assertThat(o.port()).isEqualTo(5432);
        assertThat(o.database()).isEqualTo("mydb");
    }

    @Test
    void hostOnly() {
        ConnectOptions o = parse("postgresql://localhost");
        assertThat(o.endpoints()).containsExactly(new Endpoint("localhost", 5432));
        assertThat(o.database()).isEqualTo(OS_USER);
    }

    @Test
    void hostWithTrailingSlashHasNoDatabase() {
        assertThat(parse("postgresql://h/").database()).isEqualTo(OS_USER);
    }

    @Test
    void hostAndPortOnly() {
        assertThat(parse("postgresql://other:5433").endpoints()).containsExactly(new Endpoint("other", 5433));
    }

    @Test
    void emptyHostWithPort() {
        assertThat(parse("postgresql://:5433/db").endpoints()).containsExactly(new Endpoint("localhost", 5433));
    }

    @Test
    void userWithoutPassword() {
        ConnectOptions o = parse("postgresql://alice@h");
        assertThat(o.user()).isEqualTo("alice");
        assertThat(o.password()).isNull();
    }

    @Test
    void emptyPasswordMeansNone() {
        assertThat(parse("postgresql://alice:@h").password()).isNull();
    }

    @Test
    void passwordWithoutUserKeepsOsUser() {
        ConnectOptions o = parse("postgresql://:pw@h");
        assertThat(o.user()).isEqualTo(OS_USER);
        assertThat(o.password()).isEqualTo("pw");
    }

    @Test
    void unixSocketDirectoryAsQueryHost() {
        ConnectOptions o = parse("postgresql://user@/db?host=/var/run/postgresql");
        assertThat(o.endpoints()).containsExactly(new Endpoint("/var/run/postgresql", 5432));
        assertThat(o.endpoints().get(0).isUnixSocket()).isTrue();
        assertThat(o.user()).isEqualTo("user");
        assertThat(o.database()).isEqualTo("db");
    }

    @Test
    void unixSocketDirectoryPercentEncodedInHostPart() {
        ConnectOptions o = parse("postgresql://%2Fvar%2Frun%2Fpostgresql:5433/db");
        assertThat(o.endpoints()).containsExactly(new Endpoint("/var/run/postgresql", 5433));
        assertThat(o.endpoints().get(0).isUnixSocket()).isTrue();
    }

    @Test
    void lowerCasePercentEscapesDecodeToo() {
        assertThat(parse("postgresql://%2fvar%2frun/db").host()).isEqualTo("/var/run");
    }

    @Test
    void percentDecodingInEveryComponent() {
        ConnectOptions o = parse("postgresql://us%40er:p%40ss%3Aw%2Fo%3Frd@h%6Fst/my%20db"
                + "?application_name=caf%C3%A9%26bar&options=-c%20search_path%3Dapp");
        assertThat(o.user()).isEqualTo("us@er");
        assertThat(o.password()).isEqualTo("p@ss:w/o?rd");
        assertThat(o.host()).isEqualTo("host");
        assertThat(o.database()).isEqualTo("my db");
        assertThat(o.applicationName()).isEqualTo("café&bar");
        assertThat(o.options()).isEqualTo("-c search_path=app");
    }

    @Test
    void plusIsNotASpace() {
        // libpq decodes only %XX; '+' is a plus, as in RFC 3986 (not form encoding).
        assertThat(parse("postgresql://h/a+b").database()).isEqualTo("a+b");
    }

    @Test
    void unescapedAtInPasswordSplitsAtTheLastAt() {
        ConnectOptions o = parse("postgresql://u:p@ss@h/db");
        assertThat(o.password()).isEqualTo("p@ss");
        assertThat(o.host()).isEqualTo("h");
    }

    @Test
    void ipv6Loopback() {
        ConnectOptions o = parse("postgresql://[::1]:5433/db");
        assertThat(o.endpoints()).containsExactly(new Endpoint("::1", 5433));
        assertThat(o.database()).isEqualTo("db");
    }

    @Test
    void ipv6WithoutPort() {
        assertThat(parse("postgresql://[2001:db8::1]").endpoints()).containsExactly(new Endpoint("2001:db8::1", 5432));
    }

    @Test
    void ipv6WithUserAndDatabase() {
        ConnectOptions o = parse("postgresql://u@[2001:db8::1]/db");
        assertThat(o.host()).isEqualTo("2001:db8::1");
        assertThat(o.user()).isEqualTo("u");
    }

    @Test
    void ipv6InQueryHostNeedsNoBrackets() {
        assertThat(parse("postgresql:///db?host=::1&port=5433").endpoints()).containsExactly(new Endpoint("::1", 5433));
    }

    @Test
    void severalHostsEachWithPort() {
        assertThat(parse("postgresql://host1:5432,host2:5433/db").endpoints())
                .containsExactly(new Endpoint("host1", 5432), new Endpoint("host2", 5433));
    }

    @Test
    void severalHostsMixingIpv6AndDefaultPorts() {
        assertThat(parse("postgresql://a,[::1]:6000,b:7000/db").endpoints()).containsExactly(
                new Endpoint("a", 5432), new Endpoint("::1", 6000), new Endpoint("b", 7000));
    }

    @Test
    void severalHostsWithoutPortsAllGetTheDefault() {
        assertThat(parse("postgresql://a,b,c").endpoints()).containsExactly(
                new Endpoint("a", 5432), new Endpoint("b", 5432), new Endpoint("c", 5432));
    }

    @Test
    void queryHostsAndPortsPairUp() {
        assertThat(parse("postgresql:///db?host=a,b&port=1,2").endpoints())
                .containsExactly(new Endpoint("a", 1), new Endpoint("b", 2));
    }

    @Test
    void oneQueryPortAppliesToEveryHost() {
        assertThat(parse("postgresql:///db?host=a,b,c&port=6000").endpoints()).containsExactly(
                new Endpoint("a", 6000), new Endpoint("b", 6000), new Endpoint("c", 6000));
    }

    @Test
    void emptyPortEntryMeansDefaultPort() {
        assertThat(parse("postgresql:///db?host=a,b&port=6000,").endpoints())
                .containsExactly(new Endpoint("a", 6000), new Endpoint("b", 5432));
    }

    @Test
    void queryParametersOverrideTheAuthorityAndPath() {
        ConnectOptions o = parse("postgresql://u:p@h1:1/d1?host=h2&port=2&user=u2&password=p2&dbname=d2");
        assertThat(o.endpoints()).containsExactly(new Endpoint("h2", 2));
        assertThat(o.user()).isEqualTo("u2");
        assertThat(o.password()).isEqualTo("p2");
        assertThat(o.database()).isEqualTo("d2");
    }

    @Test
    void queryPortOverridesAuthorityPortsForAllHosts() {
        assertThat(parse("postgresql://a:1,b:2/db?port=9").endpoints())
                .containsExactly(new Endpoint("a", 9), new Endpoint("b", 9));
    }

    @Test
    void laterQueryParameterWins() {
        assertThat(parse("postgresql://h?sslmode=disable&sslmode=require").sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void emptyAndRepeatedAmpersandsAreHarmless() {
        assertThat(parse("postgresql://h?&sslmode=require&&").sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void queryValueMayContainEquals() {
        assertThat(parse("postgresql://h?options=-csearch_path=app").options()).isEqualTo("-csearch_path=app");
    }

    @Test
    void jdbcStyleSslTrueMeansRequire() {
        assertThat(parse("postgresql://h?ssl=true").sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void hostaddrInQueryIsWhereWeConnect() {
        assertThat(parse("postgresql:///db?hostaddr=10.0.0.5&port=6000").endpoints())
                .containsExactly(new Endpoint("10.0.0.5", 6000));
    }

    @Test
    void pgloomOwnKeysInQuery() {
        ConnectOptions o = parse("postgresql://h?statement_cache_size=0&command_timeout=1.5&connect_timeout=10");
        assertThat(o.statementCacheSize()).isZero();
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readTimeoutInSecondsWithFractions() {
        assertThat(parse("postgresql://h?read_timeout=0.5").readTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("postgresql://h?read_timeout=30").readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("postgresql://h?read_timeout=0").readTimeout()).isZero();
        assertThat(parse("postgresql://h").readTimeout()).isZero();
        assertThat(parse("host=h read_timeout=2.25").readTimeout()).isEqualTo(Duration.ofMillis(2250));
        assertThat(parse("postgresql://h?read_timeout=1").toBuilder().build().readTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1s", "1e400"})
    void badReadTimeoutNamesTheKey(String value) {
        assertThat(failure("postgresql://h?read_timeout=" + value))
                .hasMessageContaining("invalid read_timeout \"" + value + "\"")
                .hasMessageContaining("give seconds");
    }

    @Test
    void negativeReadTimeoutInTheBuilderNamesIt() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> ConnectOptions.builder().readTimeout(Duration.ofMillis(-1))))
                .isInstanceOf(PgException.class).hasMessageContaining("readTimeout");
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(parse("  postgresql://h/db\n").database()).isEqualTo("db");
    }

    // ---- bad input ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://h/d%zzb        | bad percent-escape \"%zz\" in the database name",
            "postgresql://h/db%2         | bad percent-escape \"%2\" in the database name",
            "postgresql://h/db%          | bad percent-escape \"%\" in the database name",
            "postgresql://us%g1r@h       | bad percent-escape \"%g1\" in the user",
            "postgresql://h%xx/db        | bad percent-escape \"%xx\" in the host",
            "postgresql://h?sslmode=re%q | bad percent-escape \"%q\" in the value of query parameter \"sslmode\"",
            "postgresql://h?ss%lmode=x   | bad percent-escape \"%lm\" in the query parameter name",
    })
    void badPercentEscapeNamesPartAndToken(String uri, String expected) {
        assertThat(failure(uri)).hasMessageContaining(expected);
    }

    @Test
    void badPercentEscapeInPasswordDoesNotShowIt() {
        PgException e = failure("postgresql://u:s3cr%zzet@h/db");
        assertThat(e).hasMessageContaining("bad percent-escape in the password");
        assertThat(e.getMessage()).doesNotContain("s3cr").doesNotContain("%zz");
    }

    @Test
    void badPercentEscapeInPasswordQueryParameterDoesNotShowIt() {
        PgException e = failure("postgresql://h?password=s3cr%zzet");
        assertThat(e).hasMessageContaining("bad percent-escape in the value of query parameter \"password\"");
        assertThat(e.getMessage()).doesNotContain("s3cr").doesNotContain("%zz");
    }

    @Test
    void unencodedSlashInPasswordIsNotEchoed() {
        PgException e = failure("postgresql://u:Xq7/Zk9@h/db");
        assertThat(e).hasMessageContaining("percent-encode / ? and @ in the user name or password");
        assertThat(e.getMessage()).doesNotContain("Xq7").doesNotContain("Zk9");
    }

    @Test
    void unencodedQuestionMarkInPasswordIsNotEchoed() {
        PgException e = failure("postgresql://u:Xq7?Zk9@h/db");
        assertThat(e).hasMessageContaining("percent-encode / ? and @");
        assertThat(e.getMessage()).doesNotContain("Xq7").doesNotContain("Zk9");
    }

    @Test
    void atInDatabaseNameIsFine() {
        assertThat(parse("postgresql://h:5432/my@db").database()).isEqualTo("my@db");
    }

    @Test
    void unencodedAmpersandInPasswordParameterIsNotEchoed() {
        PgException e = failure("postgresql://h/db?password=open&sesame");
        assertThat(e).hasMessageContaining("unexpected text after the value of query parameter \"password\"")
                .hasMessageContaining("%26");
        assertThat(e.getMessage()).doesNotContain("open").doesNotContain("sesame");
    }

    @Test
    void passwordParameterFollowedByRealKeyStillWorks() {
        ConnectOptions o = parse("postgresql://h/db?password=pw&sslmode=disable&ssl=true");
        assertThat(o.password()).isEqualTo("pw");
        assertThat(o.sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void percentEncodedNulIsRefused() {
        assertThat(failure("postgresql://h/db%00x")).hasMessageContaining("%00").hasMessageContaining("database name");
    }

    @Test
    void percentEscapesThatAreNotUtf8AreRefused() {
        assertThat(failure("postgresql://h/db%FF")).hasMessageContaining("database name").hasMessageContaining("not valid UTF-8");
    }

    @Test
    void unterminatedIpv6Bracket() {
        assertThat(failure("postgresql://[::1/db"))
                .hasMessageContaining("IPv6 host \"[::1\" has no closing \"]\"");
    }

    @Test
    void garbageAfterIpv6Bracket() {
        assertThat(failure("postgresql://[::1]x:5432/db")).hasMessageContaining("unexpected \"x\" after IPv6 host \"[::1]\"");
    }

    @Test
    void emptyIpv6Brackets() {
        assertThat(failure("postgresql://[]:5432/db")).hasMessageContaining("empty IPv6 host");
    }

    @Test
    void unbracketedIpv6GetsAHint() {
        assertThat(failure("postgresql://::1/db"))
                .hasMessageContaining("invalid port \":1\"")
                .hasMessageContaining("put an IPv6 address in brackets");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://h:abc/db      | invalid port \"abc\" for host \"h\"",
            "postgresql://h:0/db        | invalid port \"0\" for host \"h\"",
            "postgresql://h:65536/db    | invalid port \"65536\" for host \"h\"",
            "postgresql://h:-1/db       | invalid port \"-1\" for host \"h\"",
            "postgresql://h:99999999999 | invalid port \"99999999999\" for host \"h\"",
            "postgresql://a,b:x         | invalid port \"x\" for host \"b\"",
            "postgresql://h?port=5432x  | invalid port \"5432x\" for host \"h\"",
    })
    void badPortNamesPortAndHost(String uri, String expected) {
        assertThat(failure(uri)).hasMessageContaining(expected).hasMessageContaining("1 to 65535");
    }

    @Test
    void portCountMustMatchHostCount() {
        assertThat(failure("postgresql:///db?host=a,b,c&port=1,2"))
                .hasMessageContaining("could not match 2 port numbers to 3 hosts")
                .hasMessageContaining("port \"1,2\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://h/db", "http://h/db", "postgresq://h/db"})
    void unknownSchemeIsNamed(String uri) {
        String scheme = uri.substring(0, uri.indexOf("://"));
        assertThat(failure(uri)).hasMessageContaining("unknown scheme \"" + scheme + "\"")
                .hasMessageContaining("postgresql://");
    }

    @Test
    void jdbcUrlGetsAHint() {
        assertThat(failure("jdbc:postgresql://h/db"))
                .hasMessageContaining("unknown scheme \"jdbc:postgresql\"")
                .hasMessageContaining("drop the \"jdbc:\" prefix");
    }

    @Test
    void unknownQueryParameterIsNamedWithTheValidKeys() {
        assertThat(failure("postgresql://h/db?sslmdoe=require"))
                .hasMessageContaining("unknown URI query parameter \"sslmdoe\"")
                .hasMessageContaining("valid keys: host, hostaddr, port, dbname, user, password")
                .hasMessageContaining("statement_cache_size")
                .hasMessageContaining("options=-c name=value");
    }

    @Test
    void arbitraryServerSettingAsQueryKeyIsRefused() {
        assertThat(failure("postgresql://h/db?search_path=app"))
                .hasMessageContaining("unknown URI query parameter \"search_path\"");
    }

    @Test
    void libpqOnlyKeyIsRefusedAsUnsupported() {
        assertThat(failure("postgresql://h/db?requirepeer=postgres"))
                .hasMessageContaining("\"requirepeer\" is a libpq option that pgloom does not support");
    }

    @Test
    void sslOtherThanTrueIsUnknown() {
        assertThat(failure("postgresql://h?ssl=1")).hasMessageContaining("unknown URI query parameter \"ssl\"");
    }

    @Test
    void queryParameterWithoutEquals() {
        assertThat(failure("postgresql://h/db?sslmode")).hasMessageContaining("query parameter \"sslmode\" has no \"=\"");
    }

    @Test
    void queryParameterWithoutName() {
        assertThat(failure("postgresql://h/db?=require")).hasMessageContaining("has no name before \"=\"");
    }

    @Test
    void badSslModeInQuery() {
        assertThat(failure("postgresql://h/db?sslmode=required"))
                .hasMessageContaining("invalid sslmode \"required\"")
                .hasMessageContaining("disable, allow, prefer, require, verify-ca or verify-full");
    }

    @Test
    void nullInputIsAClearError() {
        assertThat(failure(null)).hasMessageContaining("connection string is null");
    }
}
