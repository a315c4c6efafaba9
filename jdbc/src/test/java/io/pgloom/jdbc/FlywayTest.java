package io.pgloom.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Flyway (with its PostgreSQL module) migrating a folder through a PgloomDataSource. */
class FlywayTest {

    @Test
    void migratesReportsAndThenHasNothingToDo() throws SQLException {
        PgloomDataSource ds = TestDb.dataSource();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS fw CASCADE");
        }
        Flyway flyway = Flyway.configure().dataSource(ds).schemas("fw").createSchemas(true)
                .locations("classpath:db/migration").load();

        MigrateResult first = flyway.migrate();
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isEqualTo(3);
        assertThat(first.targetSchemaVersion).isEqualTo("3");

        // the first entry records that Flyway created schema fw; then the three versions
        MigrationInfo[] applied = java.util.Arrays.stream(flyway.info().applied())
                .filter(m -> m.getVersion() != null).toArray(MigrationInfo[]::new);
        assertThat(applied).extracting(MigrationInfo::getScript)
                .containsExactly("V1__create_tables.sql", "V2__functions.sql", "V3__seed.sql");
        assertThat(applied).allSatisfy(m -> assertThat(m.getState()).isEqualTo(MigrationState.SUCCESS));
        assertThat(flyway.info().pending()).isEmpty();

        MigrateResult second = flyway.migrate();
        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();

        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();

        try (Connection c = ds.getConnection()) {
            c.setSchema("fw");       // the functions name their tables without a schema
            assertThat(c.getSchema()).isEqualTo("fw");
            PreparedStatement ps = c.prepareStatement("SELECT fw_is_question(?), fw_is_question('no;'),"
                     + " fw_order_count(id), note FROM fw_customer WHERE email = ?");
            ps.setString(1, "really?");
            ps.setString(2, "ann@example.com");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getBoolean(2)).isFalse();
                assertThat(rs.getLong(3)).isEqualTo(1);
                assertThat(rs.getString(4)).isEqualTo("what? this; that");
            }
        }
    }
}
