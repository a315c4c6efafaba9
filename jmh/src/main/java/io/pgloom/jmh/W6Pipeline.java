package io.pgloom.jmh;

import io.pgloom.Pipeline;
import io.pgloom.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;

/**
 * W6: one caller, 100 independent point selects (W2's query and decoding) in one round trip:
 * pgloom's pipeline scope ({@code conn.pipeline()}, each statement its own Sync) against
 * vertx-pg-client's connection with {@code pipeliningLimit} 256, which sends all 100 before
 * reading when the caller issues them without waiting; ops/s (selects per second).
 *
 * <pre>java -cp jmh/target/benchmarks.jar org.openjdk.jmh.Main 'W6Pipeline' -p thread=virtual ...</pre>
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
public class W6Pipeline {

    static final int BATCH = 100;

    private int next;

    private int key() {
        next = next % BenchDb.ROWS + 1;
        return next;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pgloom(W1SelectOne.Pgloom s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            List<Pipeline.Result<Row>> results = new ArrayList<>(BATCH);
            try (Pipeline p = s.conn.pipeline()) {
                for (int i = 0; i < BATCH; i++) {
                    results.add(p.fetchRow(BenchDb.POINT_SELECT, key()));
                }
            }
            for (Pipeline.Result<Row> r : results) {
                Clients.consume(r.get(), bh);
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void vertx(W1SelectOne.VertxPg s, OnThread on, Blackhole bh) throws Exception {
        on.run(() -> {
            List<io.vertx.core.Future<RowSet<io.vertx.sqlclient.Row>>> results = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                results.add(s.conn.preparedQuery(BenchDb.POINT_SELECT).execute(Tuple.of(key())));
            }
            for (var f : results) {
                Clients.consume(Clients.await(f).iterator().next(), bh);
            }
        });
    }
}
