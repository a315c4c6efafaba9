package io.pgloom.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a state instead of sleeping for it: polls a condition until it holds, and fails
 * after a generous bound (a loaded 2-core box), so a test is neither slow nor flaky.
 *
 * <pre>{@code
 * Await.until(Duration.ofSeconds(10), () -> pool.stats().idle() == 2, "min size to fill");
 * }</pre>
 */
public final class Await {

    private Await() {
    }

    /** Polls every 10 ms until {@code condition} holds; an AssertionError naming {@code what} after {@code limit}. */
    public static void until(Duration limit, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting " + limit.toMillis() + " ms for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
