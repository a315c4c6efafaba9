package io.pgloom.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The placeholder rewriter over SQL where a {@code ?} is not always a placeholder. */
class JdbcSqlTest {

    private static String rewrite(String sql) {
        return JdbcSql.parse(sql).sql();
    }

    @Test
    void placeholdersBecomeNumberedInOrder() {
        JdbcSql s = JdbcSql.parse("SELECT * FROM t WHERE a = ? AND b IN (?, ?)");
        assertThat(s.sql()).isEqualTo("SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
        assertThat(s.parameterCount()).isEqualTo(3);
    }

    @Test
    void stringLiteralsKeepTheirQuestionMarks() {
        assertThat(rewrite("SELECT '?', 'it''s ?', ? FROM t")).isEqualTo("SELECT '?', 'it''s ?', $1 FROM t");
        assertThat(rewrite("SELECT E'\\'?', ?")).isEqualTo("SELECT E'\\'?', $1");
        // a backslash does not escape in a standard string: the literal ends at the second quote
        assertThat(rewrite("SELECT '\\', ?")).isEqualTo("SELECT '\\', $1");
        assertThat(rewrite("SELECT U&'d\\0061t?', ?")).isEqualTo("SELECT U&'d\\0061t?', $1");
    }

    @Test
    void quotedIdentifiersKeepTheirQuestionMarks() {
        assertThat(rewrite("SELECT \"a?\", \"b\"\"?\" FROM t WHERE x = ?"))
                .isEqualTo("SELECT \"a?\", \"b\"\"?\" FROM t WHERE x = $1");
    }

    @Test
    void commentsKeepTheirQuestionMarks() {
        assertThat(rewrite("SELECT ? -- why?\n, ? /* what? /* nested? */ still? */ , ?"))
                .isEqualTo("SELECT $1 -- why?\n, $2 /* what? /* nested? */ still? */ , $3");
        assertThat(rewrite("SELECT 1 -- trailing?")).isEqualTo("SELECT 1 -- trailing?");
    }

    @Test
    void dollarQuotedBodiesAreCopiedWhole() {
        String fn = "CREATE FUNCTION f(x text) RETURNS bool AS $$ BEGIN RETURN x LIKE '%?%'; END; $$ LANGUAGE plpgsql";
        JdbcSql s = JdbcSql.parse(fn);
        assertThat(s.sql()).isEqualTo(fn);
        assertThat(s.parameterCount()).isZero();
        assertThat(s.statements()).isEqualTo(1);
        assertThat(rewrite("SELECT $tag$ ? $$ ? $tag$, ?")).isEqualTo("SELECT $tag$ ? $$ ? $tag$, $1");
    }

    @Test
    void positionalParametersAndIdentifiersWithDollarsAreNotDollarQuotes() {
        assertThat(rewrite("SELECT a$b$c, ? FROM t")).isEqualTo("SELECT a$b$c, $1 FROM t");
        JdbcSql numbered = JdbcSql.parse("SELECT * FROM t WHERE a = $1");
        assertThat(numbered.sql()).isEqualTo("SELECT * FROM t WHERE a = $1");
        assertThat(numbered.parameterCount()).isZero();
    }

    @Test
    void castsAndJsonOperators() {
        assertThat(rewrite("SELECT ?::int, a::text FROM t WHERE j ?? 'k' AND j ??| ?::text[]"))
                .isEqualTo("SELECT $1::int, a::text FROM t WHERE j ? 'k' AND j ?| $2::text[]");
    }

    @Test
    void jdbcEscapes() {
        assertThat(rewrite("SELECT {d '2024-01-31'}, {ts '2024-01-31 10:00:00'}, {fn ucase(?)} FROM t WHERE a = ?"))
                .isEqualTo("SELECT DATE '2024-01-31', TIMESTAMP '2024-01-31 10:00:00',  ucase($1) FROM t WHERE a = $2");
        assertThat(rewrite("SELECT '{d x}', ?")).isEqualTo("SELECT '{d x}', $1");
    }

    @Test
    void aPlainStatementKeepsEveryQuestionMark() {
        JdbcSql s = JdbcSql.parse("SELECT '{\"a\":1}'::jsonb ? 'a'", false);
        assertThat(s.sql()).isEqualTo("SELECT '{\"a\":1}'::jsonb ? 'a'");
        assertThat(s.parameterCount()).isZero();
    }

    @Test
    void classifiesStatements() {
        assertThat(JdbcSql.parse("  select 1").returnsRows()).isTrue();
        assertThat(JdbcSql.parse("/* c */ (SELECT 1) UNION (SELECT 2)").returnsRows()).isTrue();
        assertThat(JdbcSql.parse("INSERT INTO t VALUES (?)").returnsRows()).isFalse();
        assertThat(JdbcSql.parse("INSERT INTO t VALUES (?) RETURNING id").returnsRows()).isTrue();
        assertThat(JdbcSql.parse("WITH x AS (SELECT 1) SELECT * FROM x").returnsRows()).isTrue();
        assertThat(JdbcSql.parse("WITH x AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM x").returnsRows()).isFalse();
        assertThat(JdbcSql.parse("WITH x AS (SELECT 1) UPDATE t SET a = 1 RETURNING a").returnsRows()).isTrue();
        assertThat(JdbcSql.parse("UPDATE t SET a = 'RETURNING'").returnsRows()).isFalse();
        assertThat(JdbcSql.parse("CREATE TABLE t (a int)").returnsRows()).isFalse();
        assertThat(JdbcSql.parse("SELECT 1; SELECT 2;").statements()).isEqualTo(2);
        assertThat(JdbcSql.parse("SELECT ';'").statements()).isEqualTo(1);
    }

    @Test
    void knowsTheRowsOfAPlainInsert() {
        assertThat(JdbcSql.parse("INSERT INTO t (a, b) VALUES (?, (SELECT 1))").insertedRows()).isEqualTo(1);
        assertThat(JdbcSql.parse("insert into t values (?), (?)").insertedRows()).isEqualTo(2);
        assertThat(JdbcSql.parse("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING").insertedRows()).isEqualTo(-1);
        assertThat(JdbcSql.parse("INSERT INTO t SELECT * FROM u").insertedRows()).isEqualTo(-1);
        assertThat(JdbcSql.parse("UPDATE t SET a = ?").insertedRows()).isEqualTo(-1);
    }

    @Test
    void castsAreAddedAfterTheirPlaceholder() {
        JdbcSql s = JdbcSql.parse("SELECT ?, '?', ?");
        assertThat(s.withCasts(new String[] {null, "int4"})).isEqualTo("SELECT $1, '?', $2::int4");
        assertThat(s.withCasts(new String[] {"bool", "int4"})).isEqualTo("SELECT $1::bool, '?', $2::int4");
    }

    @Test
    void unterminatedTextRunsToTheEnd() {
        assertThat(rewrite("SELECT 'abc ?")).isEqualTo("SELECT 'abc ?");
        assertThat(rewrite("SELECT $$ ? ")).isEqualTo("SELECT $$ ? ");
        assertThat(rewrite("SELECT /* ? ")).isEqualTo("SELECT /* ? ");
    }

    @Test
    void theCacheGivesTheSameRewriteAndStaysBounded() {
        String sql = "SELECT a FROM t WHERE b = ? AND c = '?' -- ?";
        JdbcSql first = JdbcSql.cached(sql);
        assertThat(first).usingRecursiveComparison().isEqualTo(JdbcSql.parse(sql));
        assertThat(first.sql()).isEqualTo("SELECT a FROM t WHERE b = $1 AND c = '?' -- ?");
        assertThat(JdbcSql.cached(new String(sql))).isSameAs(first);
        for (int i = 0; i < JdbcSql.CACHE_ENTRIES * 2; i++) {
            assertThat(JdbcSql.cached("SELECT ? + " + i).sql()).isEqualTo("SELECT $1 + " + i);
            assertThat(JdbcSql.cacheSize()).isLessThanOrEqualTo(JdbcSql.CACHE_ENTRIES);
        }
        String huge = "SELECT ?" + " ".repeat(JdbcSql.CACHE_MAX_LENGTH);
        assertThat(JdbcSql.cached(huge).parameterCount()).isEqualTo(1);
        assertThat(JdbcSql.cached(huge)).isNotSameAs(JdbcSql.cached(huge));
    }

    @Test
    void aSharedReadIsOneQueryThatNamesNothingOfTheSession() {
        for (String read : new String[] {
                "SELECT 1", "select * from t where id = ?", "VALUES (1), (2)", "TABLE t",
                "SELECT 'insert into nextval(''s'')' AS quoted, \"update\" FROM t",   // literals and quoted names
                "-- delete\nSELECT 1 /* insert */", "SELECT updated_at, inserted FROM t", "SELECT pg_sleep(0.1)",
                "SELECT 1;"}) {
            assertThat(JdbcSql.parse(read).sharedRead()).as(read).isTrue();
        }
        for (String needsSession : new String[] {
                "INSERT INTO t VALUES (1)", "UPDATE t SET a = 1", "DELETE FROM t", "SET search_path = x",
                "WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone",
                "SELECT * FROM t FOR UPDATE", "SELECT a INTO b FROM t",
                "SELECT nextval('s')", "SELECT currval('s')", "select LASTVAL()", "SELECT setval('s', 1)",
                "SELECT pg_backend_pid()", "SELECT * FROM pg_temp.x", "SELECT set_config('a.b', 'c', false)",
                "SELECT current_setting('search_path')", "SELECT pg_advisory_lock(1)", "SELECT txid_current()",
                "SELECT lo_creat(-1)", "SELECT 1; SELECT 2", "SHOW search_path", "CALL p()", "{call f(?)}"}) {
            assertThat(JdbcSql.parse(needsSession).sharedRead()).as(needsSession).isFalse();
        }
    }
}
