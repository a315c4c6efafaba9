package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spring's JdbcTemplate, NamedParameterJdbcTemplate and DataSourceTransactionManager over a pgloom pool. */
class SpringJdbcTest {

    private static PgPool pool;
    private static JdbcTemplate jdbc;
    private static NamedParameterJdbcTemplate named;
    private static TransactionTemplate tx;

    @BeforeAll
    static void setUp() {
        pool = PgPool.create(PoolOptions.builder().connectOptions(ConnectOptions.fromUri(PgServer.shared().uri()))
                .minSize(0).maxSize(4).build());
        PgloomDataSource ds = PgloomDataSource.of(pool);
        jdbc = new JdbcTemplate(ds);
        named = new NamedParameterJdbcTemplate(jdbc);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        jdbc.execute("DROP TABLE IF EXISTS sp_account");
        jdbc.execute("CREATE TABLE sp_account (id bigserial PRIMARY KEY, owner text UNIQUE NOT NULL,"
                + " balance int NOT NULL, opened timestamp, token uuid, tags text[])");
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @Test
    void jdbcTemplateQueriesUpdatesBatchesAndKeys() {
        jdbc.update("TRUNCATE sp_account RESTART IDENTITY");
        LocalDateTime opened = LocalDateTime.of(2025, 3, 4, 5, 6, 7);
        UUID token = UUID.randomUUID();
        assertThat(jdbc.update("INSERT INTO sp_account (owner, balance, opened, token) VALUES (?, ?, ?, ?)",
                "ann", 100, Timestamp.valueOf(opened), token)).isEqualTo(1);

        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO sp_account (owner, balance) VALUES (?, ?)", new String[] {"id"});
            ps.setString(1, "bob");
            ps.setInt(2, 50);
            return ps;
        }, keys);
        assertThat(keys.getKey().longValue()).isEqualTo(2L);

        int[] counts = jdbc.batchUpdate("INSERT INTO sp_account (owner, balance) VALUES (?, ?)",
                List.of(new Object[] {"cy", 1}, new Object[] {"di", 2}, new Object[] {"ed", 3}));
        assertThat(counts).containsExactly(1, 1, 1);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM sp_account", Long.class)).isEqualTo(5L);
        assertThat(jdbc.queryForObject("SELECT opened FROM sp_account WHERE owner = ?", LocalDateTime.class, "ann")).isEqualTo(opened);
        assertThat(jdbc.queryForObject("SELECT token FROM sp_account WHERE owner = ?", UUID.class, "ann")).isEqualTo(token);
        assertThat(jdbc.queryForObject("SELECT ?::text || '!'", String.class, 7)).isEqualTo("7!");
        assertThat(jdbc.query("SELECT owner, balance FROM sp_account WHERE balance < ? ORDER BY balance",
                (rs, i) -> rs.getString("owner") + "=" + rs.getInt("balance"), 10)).containsExactly("cy=1", "di=2", "ed=3");
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT owner, balance FROM sp_account WHERE owner = 'bob'");
        assertThat(rows).containsExactly(Map.of("owner", "bob", "balance", 50));
        assertThat(jdbc.queryForList("SELECT owner FROM sp_account WHERE false")).isEmpty();

        assertThatThrownBy(() -> jdbc.update("INSERT INTO sp_account (owner, balance) VALUES (?, ?)", "ann", 1))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void namedParametersWithListsAndCasts() {
        jdbc.update("TRUNCATE sp_account RESTART IDENTITY");
        named.update("INSERT INTO sp_account (owner, balance, tags) VALUES (:o, :b, :t::text[])",
                new MapSqlParameterSource("o", "fay").addValue("b", 7).addValue("t", "{red,blue}"));
        named.update("INSERT INTO sp_account (owner, balance) VALUES (:o, :b)", Map.of("o", "gus", "b", 8));
        List<String> owners = named.queryForList("SELECT owner FROM sp_account WHERE owner IN (:names) AND balance::int >= :min"
                + " ORDER BY owner", Map.of("names", List.of("fay", "gus", "nobody"), "min", 7), String.class);
        assertThat(owners).containsExactly("fay", "gus");
        String[] tags = named.queryForObject("SELECT tags FROM sp_account WHERE owner = :o", Map.of("o", "fay"),
                (rs, i) -> (String[]) rs.getArray(1).getArray());
        assertThat(tags).containsExactly("red", "blue");
    }

    @Test
    void theTransactionManagerCommitsAndRollsBack() {
        jdbc.update("TRUNCATE sp_account RESTART IDENTITY");
        jdbc.update("INSERT INTO sp_account (owner, balance) VALUES ('a', 100), ('b', 0)");
        tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE sp_account SET balance = balance - 30 WHERE owner = 'a'");
            jdbc.update("UPDATE sp_account SET balance = balance + 30 WHERE owner = 'b'");
        });
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE sp_account SET balance = balance - 500 WHERE owner = 'a'");
            throw new IllegalStateException("insufficient funds");
        })).hasMessage("insufficient funds");
        tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE sp_account SET balance = 0");
            status.setRollbackOnly();
        });
        TransactionTemplate readOnly = new TransactionTemplate(tx.getTransactionManager());
        readOnly.setReadOnly(true);
        assertThatThrownBy(() -> readOnly.executeWithoutResult(status -> jdbc.update("DELETE FROM sp_account")))
                .isInstanceOf(org.springframework.dao.DataAccessException.class);
        assertThat(jdbc.queryForList("SELECT balance FROM sp_account ORDER BY owner", Integer.class)).containsExactly(70, 30);
        try (var c = jdbc.getDataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SHOW transaction_read_only")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("off");      // the read-only transaction left no trace in the pool
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
