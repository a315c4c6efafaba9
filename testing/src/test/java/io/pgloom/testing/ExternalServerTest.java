package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The server of PGLOOM_TEST_URL is used as given, and refuses to be stopped. */
class ExternalServerTest {

    @Test
    void urlPartsAndOtherUsersUrls() {
        ExternalServer server = new ExternalServer("postgresql://app:s%40cret@db.internal:6543/shop?sslmode=require", "16");
        assertThat(server.host()).isEqualTo("db.internal");
        assertThat(server.port()).isEqualTo(6543);
        assertThat(server.user()).isEqualTo("app");
        assertThat(server.password()).isEqualTo("s@cret");
        assertThat(server.database()).isEqualTo("shop");
        assertThat(server.version()).isEqualTo("16");
        assertThat(server.url()).isEqualTo("postgresql://app:s%40cret@db.internal:6543/shop?sslmode=require");
        assertThat(server.url("scram_user", "scram pw")).isEqualTo(
                "postgresql://scram_user:scram%20pw@db.internal:6543/shop?sslmode=require");
        assertThat(server.caCertificate()).isNull();
        assertThatThrownBy(server::stop).isInstanceOf(PgServerException.class).hasMessageContaining("PgServer.builder()");
    }

    @Test
    void defaultsAndBadUrls() {
        ExternalServer server = new ExternalServer("postgres://me@localhost", "17");
        assertThat(server.port()).isEqualTo(5432);
        assertThat(server.database()).isEqualTo("me");
        assertThat(server.password()).isNull();
        assertThatThrownBy(() -> new ExternalServer("jdbc:postgresql://localhost/x", "17"))
                .isInstanceOf(PgServerException.class).hasMessageContaining("postgresql://");
    }

    @Test
    void sharedUsesTheUrlAndStartsNothing() {
        String version = "external-test-" + System.nanoTime(); // a key no other test uses
        System.setProperty("pgloom.test.url", "postgresql://pgloom:pgloom@localhost:1/pgloom");
        try {
            PgServer server = PgServer.shared(version);
            assertThat(server.isExternal()).isTrue();
            assertThat(server.uri()).isEqualTo("postgresql://pgloom:pgloom@localhost:1/pgloom");
            assertThat(server.port()).isEqualTo(1);
            assertThat(server.dataDirectory()).isNull();
        } finally {
            System.clearProperty("pgloom.test.url");
        }
    }
}
