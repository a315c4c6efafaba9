package io.pgloom.jmh;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Where a benchmark's operations run: on a virtual thread (what pgloom is for) or on JMH's own
 * platform thread.
 *
 * <p>On "virtual", each benchmark invocation starts one virtual thread that runs a batch of
 * operations ({@code @OperationsPerInvocation}) and joins it, so the hand-off costs one thread
 * start and one join per batch, the same for every client, spread over the batch.
 */
@State(Scope.Thread)
public class OnThread {

    @Param({"virtual", "platform"})
    public String thread;

    /** Runs {@code batch} on the chosen kind of thread and waits for it; rethrows its failure. */
    public void run(Batch batch) throws Exception {
        if (!"virtual".equals(thread)) {
            batch.run();
            return;
        }
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                batch.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** A batch of operations that may throw (JDBC's checked exceptions). */
    @FunctionalInterface
    public interface Batch {
        void run() throws Exception;
    }

    /** Runs a batch on a virtual thread, for the workloads measured on virtual threads only. */
    public static void onVirtual(Batch batch) throws Exception {
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                batch.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
