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

/** conninfo strings: quoting, escapes, spacing, every key, and bad input. */
class ConnInfoStringTest {

    private static final String OS_USER = System.getProperty("user.name");

    @TempDir
    Path home;

    private ConnectOptions parse(String conninfo) {
        return ConnInfo.parse(conninfo, Map.of(), home);
    }

    private PgException failure(String conninfo) {
        try {
            parse(conninfo);
        } catch (PgException e) {
            assertThat(e.sqlState()).as("client-side error").isNull();
            return e;
        }
        throw new AssertionError("expected a PgException for " + conninfo);
    }

    @Test
    void plainPairs() {
        ConnectOptions o = parse("host=db.internal port=6543 dbname=shop user=app password=pw sslmode=require");
        assertThat(o.endpoints()).containsExactly(new Endpoint("db.internal", 6543));
        assertThat(o.database()).isEqualTo("shop");
        assertThat(o.user()).isEqualTo("app");
        assertThat(o.password()).isEqualTo("pw");
        assertThat(o.sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void quotingWithDoubledQuoteAndBackslashEscape() {
        ConnectOptions o = parse("host=localhost port=5432 dbname=x user=u password='it''s \\' quoted' sslmode=require");
        assertThat(o.password()).isEqualTo("it's ' quoted");
        assertThat(o.database()).isEqualTo("x");
        assertThat(o.sslMode()).isEqualTo(SslMode.REQUIRE);
    }

    @Test
    void quotedValueKeepsSpacesAndEquals() {
        assertThat(parse("options='-c search_path=app -c statement_timeout=5s'").options())
                .isEqualTo("-c search_path=app -c statement_timeout=5s");
    }

    @Test
    void backslashInQuotesEscapesBackslash() {
        assertThat(parse("password='a\\\\b'").password()).isEqualTo("a\\b");
    }

    @Test
    void backslashInUnquotedValueEscapesSpace() {
        assertThat(parse("password=a\\ b dbname=d").password()).isEqualTo("a b");
    }

    @Test
    void spacesAroundEquals() {
        ConnectOptions o = parse("  host = h   port =  6000\tdbname\n=\nd ");
        assertThat(o.endpoints()).containsExactly(new Endpoint("h", 6000));
        assertThat(o.database()).isEqualTo("d");
    }

    @Test
    void emptyQuotedValueMeansUnset() {
        ConnectOptions o = parse("host='' dbname=d");
        assertThat(o.host()).isEqualTo("localhost");
        assertThat(o.database()).isEqualTo("d");
    }

    @Test
    void laterKeyWins() {
        assertThat(parse("port=1 port=2").port()).isEqualTo(2);
    }

    @Test
    void emptyStringGivesDefaults() {
        ConnectOptions o = parse("");
        assertThat(o.endpoints()).containsExactly(new Endpoint("localhost", 5432));
        assertThat(o.user()).isEqualTo(OS_USER);
        assertThat(o.database()).isEqualTo(OS_USER);
        assertThat(o.sslMode()).isEqualTo(SslMode.PREFER);
    }

    @Test
    void valueMayContainSchemeLikeText() {
        // "://" inside a value must not make the string look like a foreign URI.
        assertThat(parse("application_name=x://y dbname=d").applicationName()).isEqualTo("x://y");
    }

    @Test
    void severalHostsAndPorts() {
        assertThat(parse("host=a,b port=1,2").endpoints()).containsExactly(new Endpoint("a", 1), new Endpoint("b", 2));
        assertThat(parse("host=a,b,c port=7").endpoints())
                .containsExactly(new Endpoint("a", 7), new Endpoint("b", 7), new Endpoint("c", 7));
    }

    @Test
    void unixSocketHost() {
        ConnectOptions o = parse("host=/tmp port=5433");
        assertThat(o.endpoints().get(0).isUnixSocket()).isTrue();
        assertThat(o.endpoints()).containsExactly(new Endpoint("/tmp", 5433));
    }

    @Test
    void hostaddrAloneIsTheHost() {
        assertThat(parse("hostaddr=192.0.2.7").endpoints()).containsExactly(new Endpoint("192.0.2.7", 5432));
    }

    @Test
    void hostaddrWinsOverHostForConnectingAndHostIsCheckedAgainstTheCertificate() {
        Endpoint e = parse("host=db.example.com hostaddr=192.0.2.7").endpoints().get(0);
        assertThat(e.connectTo()).isEqualTo("192.0.2.7");
        assertThat(e.host()).isEqualTo("db.example.com");
        assertThat(parse("hostaddr=192.0.2.7").endpoints().get(0)).isEqualTo(new Endpoint("192.0.2.7", 5432));
    }

    @Test
    void hostaddrEntriesPairWithHostEntries() {
        assertThat(parse("host=a,b hostaddr=,192.0.2.7 port=1,2").endpoints())
                .containsExactly(new Endpoint("a", 1), new Endpoint("b", 2, "192.0.2.7"));
    }

    @Test
    void everyKey() {
        ConnectOptions o = parse("host=h port=1 dbname=d user=u password=p connect_timeout=30"
                + " application_name=app fallback_application_name=fb options='-c x=y'"
                + " sslmode=verify-ca sslrootcert=/ca.pem sslcert=/c.pem sslkey=/k.pem sslpassword=kp"
                + " sslnegotiation=direct channel_binding=require target_session_attrs=read-write"
                + " statement_cache_size=7 command_timeout=2.25 passfile=/nonexistent");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.applicationName()).isEqualTo("app");
        assertThat(o.options()).isEqualTo("-c x=y");
        assertThat(o.serverSettings()).isEmpty();
        assertThat(o.sslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(o.sslRootCert()).isEqualTo("/ca.pem");
        assertThat(o.sslCert()).isEqualTo("/c.pem");
        assertThat(o.sslKey()).isEqualTo("/k.pem");
        assertThat(o.sslPassword()).isEqualTo("kp");
        assertThat(o.sslNegotiation()).isEqualTo(SslNegotiation.DIRECT);
        assertThat(o.channelBinding()).isEqualTo(ChannelBinding.REQUIRE);
        assertThat(o.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.READ_WRITE);
        assertThat(o.statementCacheSize()).isEqualTo(7);
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofMillis(2250));
    }

    @Test
    void defaultsOfTheOptionalKeys() {
        ConnectOptions o = parse("host=h");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ZERO);
        assertThat(o.commandTimeout()).isEqualTo(Duration.ZERO);
        assertThat(o.applicationName()).isNull();
        assertThat(o.options()).isNull();
        assertThat(o.sslNegotiation()).isEqualTo(SslNegotiation.POSTGRES);
        assertThat(o.channelBinding()).isEqualTo(ChannelBinding.PREFER);
        assertThat(o.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
        assertThat(o.statementCacheSize()).isEqualTo(100);
    }

    @Test
    void everyTargetSessionAttrsSpelling() {
        assertThat(parse("target_session_attrs=any").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
        assertThat(parse("target_session_attrs=read-only").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.READ_ONLY);
        assertThat(parse("target_session_attrs=primary").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.PRIMARY);
        assertThat(parse("target_session_attrs=standby").targetSessionAttrs()).isEqualTo(TargetSessionAttrs.STANDBY);
        assertThat(parse("target_session_attrs=prefer-standby").targetSessionAttrs())
                .isEqualTo(TargetSessionAttrs.PREFER_STANDBY);
    }

    @Test
    void fallbackApplicationNameOnlyWhenNoApplicationName() {
        assertThat(parse("fallback_application_name=fb").applicationName()).isEqualTo("fb");
        assertThat(parse("application_name=a fallback_application_name=fb").applicationName()).isEqualTo("a");
    }

    @Test
    void connectTimeoutFollowsLibpq() {
        assertThat(parse("connect_timeout=0").connectTimeout()).isEqualTo(Duration.ZERO);
        assertThat(parse("connect_timeout=-5").connectTimeout()).isEqualTo(Duration.ZERO);
        assertThat(parse("connect_timeout=1").connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse("connect_timeout=2").connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void commandTimeoutTakesFractions() {
        assertThat(parse("command_timeout=0").commandTimeout()).isEqualTo(Duration.ZERO);
        assertThat(parse("command_timeout=0.001").commandTimeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(parse("command_timeout=90").commandTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void sslRootCertSystemDefaultsToVerifyFull() {
        ConnectOptions o = parse("sslrootcert=system");
        assertThat(o.sslRootCert()).isEqualTo("system");
        assertThat(o.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
    }

    // ---- bad input ----

    @Test
    void unterminatedQuoteNamesTheKeyNotTheValue() {
        PgException e = failure("host=h password='s3cret dbname=d");
        assertThat(e).hasMessageContaining("quoted value of \"password\" has no closing quote");
        assertThat(e.getMessage()).doesNotContain("s3cret");
    }

    @Test
    void unquotedPasswordWithSpaceIsNotEchoed() {
        PgException e = failure("host=h password=open sesame dbname=d");
        assertThat(e).hasMessageContaining("unexpected text after the value of \"password\"")
                .hasMessageContaining("password='...'");
        assertThat(e.getMessage()).doesNotContain("open").doesNotContain("sesame");
    }

    @Test
    void unquotedPasswordFollowedByUnknownKeyIsNotEchoed() {
        PgException e = failure("sslpassword=open se=same");
        assertThat(e).hasMessageContaining("unexpected text after the value of \"sslpassword\"");
        assertThat(e.getMessage()).doesNotContain("se").doesNotContain("same");
    }

    @Test
    void passwordFollowedByRealKeyStillWorks() {
        ConnectOptions o = parse("password=pw dbname=d");
        assertThat(o.password()).isEqualTo("pw");
        assertThat(o.database()).isEqualTo("d");
    }

    @Test
    void backslashAtEndOfQuotedValueIsUnterminated() {
        assertThat(failure("options='abc\\")).hasMessageContaining("quoted value of \"options\" has no closing quote");
    }

    @Test
    void missingEquals() {
        assertThat(failure("host=h localhost")).hasMessageContaining("missing \"=\" after \"localhost\"");
    }

    @Test
    void keyAtEndWithoutEquals() {
        assertThat(failure("host")).hasMessageContaining("missing \"=\" after \"host\"");
    }

    @Test
    void unknownKeyListsValidOnes() {
        assertThat(failure("host=h hots=x"))
                .hasMessageContaining("unknown connection option \"hots\"")
                .hasMessageContaining("valid keys: host, hostaddr, port")
                .hasMessageContaining("command_timeout");
    }

    @Test
    void keysAreCaseSensitive() {
        assertThat(failure("Host=h")).hasMessageContaining("unknown connection option \"Host\"");
    }

    @Test
    void libpqOnlyKeyIsRefused() {
        assertThat(failure("keepalives=1")).hasMessageContaining("\"keepalives\" is a libpq option that pgloom does not support");
    }

    @Test
    void badSslMode() {
        assertThat(failure("sslmode=VERIFY_FULL"))
                .hasMessageContaining("invalid sslmode \"VERIFY_FULL\"")
                .hasMessageContaining("verify-full");
    }

    @Test
    void badSslNegotiation() {
        assertThat(failure("sslnegotiation=tls")).hasMessage("invalid sslnegotiation \"tls\": use postgres or direct");
    }

    @Test
    void badChannelBinding() {
        assertThat(failure("channel_binding=always"))
                .hasMessage("invalid channel_binding \"always\": use disable, prefer or require");
    }

    @Test
    void badTargetSessionAttrs() {
        assertThat(failure("target_session_attrs=master"))
                .hasMessageContaining("invalid target_session_attrs \"master\"")
                .hasMessageContaining("any, read-write, read-only, primary, standby or prefer-standby");
    }

    @Test
    void badConnectTimeout() {
        assertThat(failure("connect_timeout=2.5")).hasMessageContaining("invalid connect_timeout \"2.5\"")
                .hasMessageContaining("whole seconds");
        assertThat(failure("connect_timeout=soon")).hasMessageContaining("invalid connect_timeout \"soon\"");
    }

    @Test
    void badCommandTimeout() {
        assertThat(failure("command_timeout=-1")).hasMessageContaining("invalid command_timeout \"-1\"");
        assertThat(failure("command_timeout=1s")).hasMessageContaining("invalid command_timeout \"1s\"");
        assertThat(failure("command_timeout=1e30")).hasMessageContaining("invalid command_timeout \"1e30\"");
    }

    @Test
    void badStatementCacheSize() {
        assertThat(failure("statement_cache_size=-1")).hasMessageContaining("invalid statement_cache_size \"-1\"")
                .hasMessageContaining("0 or more");
        assertThat(failure("statement_cache_size=lots")).hasMessageContaining("invalid statement_cache_size \"lots\"");
    }

    @Test
    void badPort() {
        assertThat(failure("host=h port=http")).hasMessageContaining("invalid port \"http\" for host \"h\"");
    }

    @Test
    void hostaddrCountMustMatchHostCount() {
        assertThat(failure("host=a,b hostaddr=192.0.2.1"))
                .hasMessageContaining("could not match 2 host names to 1 hostaddr values");
    }

    @Test
    void weakSslModeWithSystemRootsIsRefused() {
        assertThat(failure("sslrootcert=system sslmode=require"))
                .hasMessageContaining("weak sslmode \"require\" may not be used with sslrootcert=system")
                .hasMessageContaining("verify-full");
    }

    @Test
    void directNegotiationNeedsRequiredTls() {
        assertThatThrownBy(() -> parse("sslnegotiation=direct"))
                .isInstanceOf(PgException.class)
                .hasMessageContaining("sslnegotiation=direct needs sslmode=require");
    }
}
