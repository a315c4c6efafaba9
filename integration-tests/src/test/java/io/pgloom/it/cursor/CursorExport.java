package io.pgloom.it.cursor;

import io.pgloom.PgConnection;
import io.pgloom.Row;
import io.pgloom.RowCursor;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Run in a JVM of its own with a small heap by {@link CursorMemoryTest}: reads every row of a
 * large result through a cursor, checks each, and prints one line of figures:
 * {@code rows=N peakHeap=BYTES retainedMidway=BYTES millis=T}.
 *
 * <p>The peak is the largest heap use a sampler thread saw every 2 ms; the retained figure is
 * the heap in use right after a full GC half way through, which is what the cursor keeps.
 */
public final class CursorExport {

    private CursorExport() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        long expected = Long.parseLong(args[1]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] peak = {0};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        long rows = 0;
        long retained = -1;
        try (PgConnection conn = PgConnection.connect(uri);
             RowCursor cur = conn.cursor("SELECT i, lpad(i::text, 92, 'x') AS payload"
                     + " FROM (SELECT generate_series(1::bigint, $1) AS i) s", expected)) {
            for (Row row : cur) {
                long i = row.get(0, Long.class);
                String payload = row.get(1, String.class);
                if (i != rows + 1 || payload.length() != 92 || !payload.endsWith(Long.toString(i))) {
                    throw new AssertionError("row " + (rows + 1) + " is wrong: " + i + ", " + payload);
                }
                rows++;
                if (rows == expected / 2) {
                    System.gc();
                    retained = memory.getHeapMemoryUsage().getUsed();
                }
            }
            if (conn.fetchVal(Integer.class, "SELECT 1") != 1) {
                throw new AssertionError("the connection does not answer after the cursor");
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
        System.out.println("rows=" + rows + " peakHeap=" + peak[0] + " retainedMidway=" + retained
                + " maxHeap=" + Runtime.getRuntime().maxMemory() + " millis=" + millis);
    }
}
