package io.pgloom.pool;

import io.pgloom.DeadlockDetectedException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.SerializationFailureException;
import io.pgloom.Transaction;
import io.pgloom.TransactionOptions;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link PgPool#inTransaction}'s loop: run the body in a transaction on a borrowed connection,
 * commit, and start over after a serialization failure (40001) or deadlock (40P01), which the
 * server raises precisely so that the whole transaction is tried again. Immutable and thread-safe.
 */
final class TransactionRetry {

    /** The pause stops doubling after this many attempts: 32 times the first. */
    private static final int MAX_DOUBLINGS = 5;

    private final int maxAttempts;
    private final long firstPauseNanos;

    TransactionRetry(int maxAttempts, Duration firstPause) {
        this.maxAttempts = maxAttempts;
        this.firstPauseNanos = firstPause.toNanos();
    }

    <T> T run(Supplier<PgConnection> acquire, TransactionOptions txOptions, Function<PgConnection, T> body) {
        Objects.requireNonNull(txOptions, "txOptions");
        Objects.requireNonNull(body, "body");
        for (int attempt = 1; ; attempt++) {
            // A fresh borrow per attempt: the connection goes back to the pool during the pause.
            try (PgConnection conn = acquire.get(); Transaction tx = conn.transaction(txOptions)) {
                T result = body.apply(conn);
                tx.commit();
                return result;
            } catch (SerializationFailureException | DeadlockDetectedException e) {
                if (attempt >= maxAttempts) {
                    e.addSuppressed(new PgException("inTransaction gave up after " + attempt
                            + " attempts (maxTransactionAttempts)"));
                    throw e;
                }
                SemaphorePool.LOG.log(System.Logger.Level.DEBUG, "transaction attempt {0} failed with {1}; retrying",
                        attempt, e.sqlState());
                pause(attempt);
            }
        }
    }

    /**
     * Sleeps the first pause doubled per attempt, half of it fixed and half random ("equal
     * jitter"), so transactions that clashed drift apart instead of clashing again in step.
     */
    private void pause(int attempt) {
        if (firstPauseNanos == 0) {
            return;
        }
        long delay = firstPauseNanos << Math.min(attempt - 1, MAX_DOUBLINGS);
        long pause = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        try {
            Thread.sleep(Duration.ofNanos(pause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("interrupted while waiting to retry a transaction", e);
        }
    }
}
