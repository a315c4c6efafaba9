package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectOptions.LoadBalanceHosts;
import io.pgloom.PgException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** load_balance_hosts (libpq, PostgreSQL 16) and pgloom's transaction_pooler and grouped_reads, from URIs and the environment. */
class ConnInfoPoolerOptionsTest {

    @TempDir
    Path home;

    private ConnectOptions parse(String uri, Map<String, String> env) {
        return ConnInfo.parse(uri, env, home);
    }

    @Test
    void loadBalanceHostsIsDisableUnlessSetToRandom() {
        assertThat(parse("postgresql://u@a,b/d", Map.of()).loadBalanceHosts()).isEqualTo(LoadBalanceHosts.DISABLE);
        assertThat(parse("postgresql://u@a,b/d?load_balance_hosts=random", Map.of()).loadBalanceHosts())
                .isEqualTo(LoadBalanceHosts.RANDOM);
        assertThat(parse("host=a,b user=u load_balance_hosts=disable", Map.of()).loadBalanceHosts())
                .isEqualTo(LoadBalanceHosts.DISABLE);
        assertThat(parse("postgresql://u@a,b/d", Map.of("PGLOADBALANCEHOSTS", "random")).loadBalanceHosts())
                .isEqualTo(LoadBalanceHosts.RANDOM);
        assertThatThrownBy(() -> parse("postgresql://u@a,b/d?load_balance_hosts=roundrobin", Map.of()))
                .isInstanceOf(PgException.class).hasMessageContaining("load_balance_hosts")
                .hasMessageContaining("roundrobin");
    }

    @Test
    void transactionPoolerTakesABooleanAndSurvivesToBuilder() {
        assertThat(parse("postgresql://u@h/d", Map.of()).transactionPooler()).isFalse();
        ConnectOptions on = parse("postgresql://u@h/d?transaction_pooler=true", Map.of());
        assertThat(on.transactionPooler()).isTrue();
        assertThat(on.toBuilder().build().transactionPooler()).isTrue();
        assertThat(parse("user=u transaction_pooler=off", Map.of()).transactionPooler()).isFalse();
        assertThatThrownBy(() -> parse("postgresql://u@h/d?transaction_pooler=maybe", Map.of()))
                .isInstanceOf(PgException.class).hasMessageContaining("transaction_pooler")
                .hasMessageContaining("maybe");
    }

    @Test
    void groupedReadsIsOnUnlessSwitchedOffAndSurvivesToBuilder() {
        assertThat(parse("postgresql://u@h/d", Map.of()).groupedReads()).isTrue();
        ConnectOptions off = parse("postgresql://u@h/d?grouped_reads=false", Map.of());
        assertThat(off.groupedReads()).isFalse();
        assertThat(off.toBuilder().build().groupedReads()).isFalse();
        assertThat(parse("user=u grouped_reads=on", Map.of()).groupedReads()).isTrue();
        assertThatThrownBy(() -> parse("postgresql://u@h/d?grouped_reads=sometimes", Map.of()))
                .isInstanceOf(PgException.class).hasMessageContaining("grouped_reads")
                .hasMessageContaining("sometimes");
    }
}
