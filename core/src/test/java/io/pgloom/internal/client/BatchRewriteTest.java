package io.pgloom.internal.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRewriteTest {

    @Test
    void rewritesAPlainInsertIntoMultiRowValues() {
        BatchRewrite r = BatchRewrite.of("INSERT INTO users (id, name) VALUES ($1, $2)");
        assertThat(r).isNotNull();
        assertThat(r.columns()).isEqualTo(2);
        assertThat(r.sql(3)).isEqualTo("INSERT INTO users (id, name) VALUES ($1, $2), ($3, $4), ($5, $6)");
        assertThat(BatchRewrite.of("insert into app.t values($1,$2,$3);").sql(1))
                .isEqualTo("insert into app.t values ($1, $2, $3)");
        assertThat(BatchRewrite.of("INSERT INTO \"Users\"(id) VALUES ($1)").sql(2))
                .isEqualTo("INSERT INTO \"Users\"(id) VALUES ($1), ($2)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO t VALUES ($1, $2) RETURNING id",
            "INSERT INTO t VALUES ($1, $2) ON CONFLICT DO NOTHING",
            "INSERT INTO t VALUES ($2, $1)",
            "INSERT INTO t VALUES ($1, $1)",
            "INSERT INTO t VALUES ($1, now())",
            "INSERT INTO t VALUES ($1, 'a')",
            "INSERT INTO t SELECT $1",
            "INSERT INTO t VALUES ($1); DELETE FROM t",
            "INSERT INTO t VALUES ($1) -- comment",
            "INSERT INTO \"my table\" VALUES ($1)",
            "UPDATE t SET a = $1",
            "WITH x AS (SELECT 1) INSERT INTO t VALUES ($1)"})
    void leavesAnythingElseAlone(String sql) {
        assertThat(BatchRewrite.of(sql)).isNull();
    }

    @Test
    void rowsPerStatementKeepsParametersUnderTheProtocolLimit() {
        assertThat(BatchRewrite.of("INSERT INTO t VALUES ($1)").rowsPerStatement()).isEqualTo(BatchRewrite.MAX_ROWS);
        StringBuilder many = new StringBuilder("INSERT INTO t VALUES (");
        for (int i = 1; i <= 1000; i++) {
            many.append(i > 1 ? ", " : "").append('$').append(i);
        }
        BatchRewrite wide = BatchRewrite.of(many.append(')').toString());
        assertThat(wide.rowsPerStatement() * wide.columns()).isLessThanOrEqualTo(32767);
    }
}
