package io.pgloom.jdbc;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** jOOQ's DSL (no code generation) over a PgloomDataSource: DDL, queries, batches, transactions. */
class JooqTest {

    private static final Table<Record> ITEM = table(name("jq_item"));
    private static final Field<Integer> ID = field(name("id"), SQLDataType.INTEGER.identity(true));
    private static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR(50).nullable(false));
    private static final Field<BigDecimal> PRICE = field(name("price"), SQLDataType.NUMERIC(10, 2));
    private static final Field<LocalDate> ADDED = field(name("added"), SQLDataType.LOCALDATE);
    private static final Field<OffsetDateTime> SEEN = field(name("seen"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Field<UUID> REF = field(name("ref"), SQLDataType.UUID);

    private static DSLContext ctx;

    @BeforeAll
    static void setUp() {
        ctx = DSL.using(TestDb.dataSource(), SQLDialect.POSTGRES);
        ctx.dropTableIfExists(ITEM).execute();
        ctx.createTable(ITEM).columns(ID, NAME, PRICE, ADDED, SEEN, REF)
                .constraints(DSL.primaryKey(ID), DSL.unique(NAME)).execute();
    }

    @AfterAll
    static void tearDown() {
        ctx.dropTableIfExists(ITEM).execute();
    }

    @Test
    void dslQueriesBatchesAndTransactions() {
        OffsetDateTime seen = OffsetDateTime.of(2025, 6, 1, 12, 30, 0, 0, ZoneOffset.UTC);
        UUID ref = UUID.randomUUID();
        Record key = ctx.insertInto(ITEM, NAME, PRICE, ADDED, SEEN, REF)
                .values("apple", new BigDecimal("1.25"), LocalDate.of(2025, 1, 2), seen, ref)
                .returningResult(ID).fetchOne();
        assertThat(key.get(ID)).isEqualTo(1);

        int[] counts = ctx.batch(
                ctx.insertInto(ITEM, NAME, PRICE).values((String) null, (BigDecimal) null))
                .bind("pear", new BigDecimal("2.00"))
                .bind("plum", new BigDecimal("0.75"))
                .bind("fig", new BigDecimal("3.10"))
                .execute();
        assertThat(counts).containsExactly(1, 1, 1);

        var cheap = ctx.select(NAME, PRICE).from(ITEM).where(PRICE.lt(new BigDecimal("2.00")))
                .orderBy(PRICE).fetch();
        assertThat(cheap.getValues(NAME)).containsExactly("plum", "apple");

        var apple = ctx.select(ADDED, SEEN, REF).from(ITEM).where(NAME.eq("apple")).fetchOne();
        assertThat(apple.get(ADDED)).isEqualTo(LocalDate.of(2025, 1, 2));
        assertThat(apple.get(SEEN).toInstant()).isEqualTo(seen.toInstant());
        assertThat(apple.get(REF)).isEqualTo(ref);
        assertThat(ctx.fetchCount(ITEM)).isEqualTo(4);
        assertThat(ctx.select(DSL.sum(PRICE)).from(ITEM).fetchOne(0, BigDecimal.class)).isEqualByComparingTo("7.10");
        assertThat(ctx.select(DSL.val(41).plus(1)).fetchOne(0, Integer.class)).isEqualTo(42);

        // a transaction that fails is rolled back; a nested one rolls back to its savepoint
        assertThatThrownBy(() -> ctx.transaction(cfg -> {
            DSL.using(cfg).update(ITEM).set(PRICE, BigDecimal.ZERO).execute();
            DSL.using(cfg).insertInto(ITEM, NAME).values("apple").execute();       // unique violation
        })).isInstanceOf(org.jooq.exception.DataAccessException.class)
                .satisfies(e -> assertThat(((org.jooq.exception.DataAccessException) e).sqlState()).isEqualTo("23505"));
        assertThat(ctx.fetchCount(ITEM, PRICE.eq(BigDecimal.ZERO))).isZero();

        ctx.transaction(cfg -> {
            DSL.using(cfg).insertInto(ITEM, NAME).values("kiwi").execute();
            try {
                DSL.using(cfg).transaction(inner -> {
                    DSL.using(inner).insertInto(ITEM, NAME).values("lime").execute();
                    throw new IllegalStateException("undo lime");
                });
            } catch (IllegalStateException expected) {
                // the nested transaction was rolled back to its savepoint
            }
        });
        assertThat(ctx.fetchExists(ITEM, NAME.eq("kiwi"))).isTrue();
        assertThat(ctx.fetchExists(ITEM, NAME.eq("lime"))).isFalse();

        assertThat(ctx.deleteFrom(ITEM).where(NAME.in("kiwi", "fig")).execute()).isEqualTo(2);
    }
}
