package io.pgloom.jmh;

import io.pgloom.PgConnection;
import io.vertx.sqlclient.Tuple;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;

/**
 * W4: insert 10,000 rows (int4, text, int8, bool) per operation; the score is rows/s. pgloom's
 * pipelined {@code executeMany} against pgjdbc's {@code executeBatch} with and without
 * reWriteBatchedInserts, Vert.x's {@code executeBatch}, and pgloom's binary
 * {@code copyRecordsToTable} against pgjdbc's text {@code CopyManager}. The table is emptied before each iteration. Runs on a virtual
 * thread.
 */
public class W4Insert {

    static final int ROWS = 10_000;

    /** The same 10,000 rows for every client. */
    @State(Scope.Benchmark)
    public static class Data {
        final List<Object[]> rows = new ArrayList<>(ROWS);

        @Setup(Level.Trial)
        public void make() {
            for (int i = 0; i < ROWS; i++) {
                rows.add(new Object[] {i, "item-" + i, (long) i * 1_000_003L, (i & 1) == 0});
            }
        }

        @Setup(Level.Iteration)
        public void truncate() {
            try (PgConnection c = Clients.pgloom()) {
                c.execute("TRUNCATE bench_ins");
            }
        }
    }

    @State(Scope.Thread)
    public static class Jdbc {
        Connection conn;

        @Setup(Level.Trial)
        public void open() throws Exception {
            conn = Clients.pgjdbc();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
        }
    }

    @State(Scope.Thread)
    public static class JdbcRewrite {
        Connection conn;

        @Setup(Level.Trial)
        public void open() throws Exception {
            conn = Clients.pgjdbc("reWriteBatchedInserts", "true");
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgloomExecuteMany(W1SelectOne.Pgloom s, Data d) throws Exception {
        OnThread.onVirtual(() -> s.conn.executeMany(BenchDb.INSERT, d.rows));
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgjdbcExecuteBatch(Jdbc s, Data d) throws Exception {
        OnThread.onVirtual(() -> batch(s.conn, d));
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgjdbcExecuteBatchRewrite(JdbcRewrite s, Data d) throws Exception {
        OnThread.onVirtual(() -> batch(s.conn, d));
    }

    private static void batch(Connection conn, Data d) throws Exception {
        try (PreparedStatement ps = conn.prepareStatement(BenchDb.INSERT.replaceAll("\\$\\d", "?"))) {
            for (Object[] r : d.rows) {
                ps.setInt(1, (Integer) r[0]);
                ps.setString(2, (String) r[1]);
                ps.setLong(3, (Long) r[2]);
                ps.setBoolean(4, (Boolean) r[3]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgjdbcCopy(Jdbc s, Data d) throws Exception {
        OnThread.onVirtual(() -> {
            StringBuilder text = new StringBuilder(ROWS * 32);
            for (Object[] r : d.rows) {
                text.append(r[0]).append('\t').append(r[1]).append('\t').append(r[2]).append('\t')
                        .append((Boolean) r[3] ? 't' : 'f').append('\n');
            }
            s.conn.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY bench_ins (id, name, qty, ok) FROM STDIN", new StringReader(text.toString()));
        });
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void pgloomCopyRecords(W1SelectOne.Pgloom s, Data d) throws Exception {
        OnThread.onVirtual(() -> s.conn.copyRecordsToTable("bench_ins", d.rows, "id", "name", "qty", "ok"));
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void vertxExecuteBatch(W1SelectOne.VertxPg s, Data d) throws Exception {
        OnThread.onVirtual(() -> {
            List<Tuple> tuples = new ArrayList<>(ROWS);
            for (Object[] r : d.rows) {
                tuples.add(Tuple.of(r[0], r[1], r[2], r[3]));
            }
            Clients.await(s.conn.preparedQuery(BenchDb.INSERT).executeBatch(tuples));
        });
    }
}
