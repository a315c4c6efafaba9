package io.pgloom.it.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.pool.PgPool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pool handle shared with another thread: close() racing a call. The call either runs on the
 * handle's own connection or fails; it never runs on the next borrower's session, and the next
 * borrower never finds its connection busy (the check-then-act race in the handle).
 */
class PoolHandleRaceTest {

    @Test
    void closeRacingACallNeverHandsTheCallToTheNextBorrower() throws Exception {
        try (PgPool pool = PgPool.create(Pools.options(Pools.appName("handle-race")).minSize(0).maxSize(1)
                .acquireTimeout(Duration.ofSeconds(10)).build())) {
            int ran = 0;
            int failed = 0;
            for (int i = 0; i < 300; i++) {
                PgConnection handle = pool.acquire();
                int pid = handle.serverPid();
                CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
                    try {
                        return handle.fetchVal("SELECT pg_backend_pid()");
                    } catch (PgException e) {
                        return e;
                    }
                });
                handle.close();
                try (PgConnection next = pool.acquire()) {
                    // Before the fix the racing call could still be running here: "connection busy".
                    assertThat(next.fetchVal("SELECT 'next'")).as("try " + i).isEqualTo("next");
                }
                Object result = call.get(10, TimeUnit.SECONDS);
                if (result instanceof PgException) {
                    failed++;
                } else {
                    assertThat(result).as("the call ran on the handle's own backend").isEqualTo(pid);
                    ran++;
                }
                assertThatThrownBy(() -> handle.fetchVal("SELECT 1")).hasMessageContaining("released");
            }
            assertThat(ran + failed).isEqualTo(300);
            Pools.awaitAllPermitsFree(pool);
        }
    }
}
