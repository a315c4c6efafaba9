package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link PgTest} hands the shared server to constructors and test methods. */
@PgTest
class PgServerExtensionTest {

    private final PgServer fromConstructor;

    PgServerExtensionTest(PgServer server) {
        this.fromConstructor = server;
    }

    @Test
    void resolvesTheSharedServer(PgServer server) throws Exception {
        assertThat(server).isSameAs(PgServer.shared()).isSameAs(fromConstructor);
        assertThat(server.isRunning()).isTrue();
        if (!server.isExternal()) {
            try (Wire wire = Wire.connect(server.host(), server.port())) {
                assertThat(wire.sslRequest()).isEqualTo('S');
            }
        }
    }
}
