package io.pgloom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgloom.PgConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real PgBouncer in transaction mode hands few server connections to many clients. */
class PgBouncerTest {

    @Test
    void manyClientsShareThePoolSizeOfServerConnections() {
        PgServer server = PgServer.shared();
        try (PgConnection direct = PgConnection.connect(server.uri());
             PgBouncer bouncer = PgBouncer.builder(server).poolMode("transaction").poolSize(2).start()) {
            direct.execute("DROP TABLE IF EXISTS bouncer_backends");
            direct.execute("CREATE TABLE bouncer_backends(pid int)");
            List<PgConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    clients.add(PgConnection.connect(bouncer.uri("pgloom", "pgloom")));
                }
                for (PgConnection c : clients) {
                    // simple protocol: no statement outlives its transaction
                    c.execute("INSERT INTO bouncer_backends SELECT pg_backend_pid()");
                }
            } finally {
                clients.forEach(PgConnection::close);
            }
            assertThat(direct.fetchVal(Long.class, "SELECT count(*) FROM bouncer_backends")).isEqualTo(6L);
            assertThat(direct.fetchVal(Long.class, "SELECT count(DISTINCT pid) FROM bouncer_backends"))
                    .isBetween(1L, 2L);
            direct.execute("DROP TABLE bouncer_backends");
        }
    }
}
