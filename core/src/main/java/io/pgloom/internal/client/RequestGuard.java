package io.pgloom.internal.client;

import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.QueryCanceledException;
import io.pgloom.internal.session.Session;
import io.pgloom.internal.session.Timers;

import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one-operation-at-a-time rule of a connection, with its command timeout, cancel and
 * interrupt handling: every request of a {@link ClientConnection} runs inside {@link #run}.
 *
 * <p>The lock is taken with {@code tryLock()}: a second thread gets "connection busy" at once
 * instead of queueing behind a query it knows nothing about. It is a {@link ReentrantLock}, never
 * {@code synchronized}, so a virtual thread that blocks on the socket while holding it does not
 * pin its carrier.
 */
final class RequestGuard {

    /** How long after a cancel a query may take to end before the connection is closed instead. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

    private final Session session;
    private final Runnable afterRequest;
    private final Runnable afterUnlock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long requestId;
    private volatile long timedOutRequest = -1;
    /** Guards the hand-over between a firing timer and the end of its request; never held during I/O. */
    private final ReentrantLock cancelLock = new ReentrantLock();
    private Thread cancelSender;
    /** Counted down when the timed-out request ends, which stops its repeated cancels. */
    private CountDownLatch requestEnded;
    /**
     * The thread sending the last {@link #cancelCurrent()}: the next request waits for it, so that
     * a cancel meant for a query (or cursor) that has meanwhile ended never lands on the next one.
     */
    private volatile Thread explicitCancel;
    /** True while requests of the connection's shared view are in flight: then this guard refuses. */
    private volatile java.util.function.BooleanSupplier othersInFlight = () -> false;

    /**
     * @param afterRequest runs at the end of every request, still under the lock
     * @param afterUnlock runs after the lock is released (to deliver notifications outside it)
     */
    RequestGuard(Session session, Runnable afterRequest, Runnable afterUnlock) {
        this.session = session;
        this.afterRequest = afterRequest;
        this.afterUnlock = afterUnlock;
    }

    /**
     * Runs a body under the lock: refuses at once when another thread is inside, arms the
     * command timeout, and turns an interrupt into a cancel on the server.
     */
    <T> T run(Duration timeout, Supplier<T> body) {
        if (!lock.tryLock()) {
            throw new PgException("connection busy: another thread is running an operation on it;"
                    + " a connection serves one operation at a time (use a pool to share)");
        }
        try {
            if (othersInFlight.getAsBoolean()) {
                throw new PgException("connection busy: pipelined requests from other threads are in flight on it;"
                        + " a connection serves one operation at a time (use a pool to share)");
            }
            if (Thread.currentThread().isInterrupted()) {
                // A blocking channel closes when an interrupted thread touches it: refuse before that.
                throw new PgException("the calling thread is interrupted; not starting the query");
            }
            awaitExplicitCancel();
            long id = ++requestId;
            session.clearExpiry();
            ScheduledFuture<?> timer = timeout.isZero() ? null : Timers.schedule(timeout, () -> onTimeout(id, timeout));
            try {
                return body.get();
            } catch (QueryCanceledException e) {
                if (timedOutRequest == id) {
                    QueryCanceledException timedOut = new QueryCanceledException(e.fields());
                    timedOut.addSuppressed(new PgException("canceled by pgloom after the command timeout of "
                            + timeout.toMillis() + " ms"));
                    throw timedOut;
                }
                throw e;
            } catch (ConnectionException e) {
                if (hasCause(e, ClosedByInterruptException.class)) {
                    // The interrupt closed our socket; stop the query on the server too.
                    Jfr.cancel(session.processId(), session.endpoint().host(), "interrupt");
                    Timers.runBlocking("pgloom-cancel", session::sendCancel);
                }
                throw e;
            } finally {
                if (timer != null) {
                    timer.cancel(false);
                }
                endRequest(id);
                afterRequest.run();
            }
        } finally {
            lock.unlock();
            afterUnlock.run();
        }
    }

    /** The lock itself, which a shared view takes briefly to start pipelining on an idle connection. */
    ReentrantLock lock() {
        return lock;
    }

    /** Refuses every later request while {@code inFlight} says the shared view is using the stream. */
    void refuseWhile(java.util.function.BooleanSupplier inFlight) {
        this.othersInFlight = inFlight;
    }

    /** Runs {@code body} under the lock, waiting for it: for quick bookkeeping that must not overlap a request. */
    <T> T runIdle(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** True while a request runs (in this thread or another). */
    boolean isBusy() {
        return lock.isLocked();
    }

    /**
     * Runs {@code idle} under the lock when no request is in progress, else {@code busy} at once
     * (closing from another thread must not wait for a query that may never end).
     */
    void closeWith(Runnable idle, Runnable busy) {
        if (lock.tryLock()) {
            try {
                idle.run();
            } finally {
                lock.unlock();
            }
        } else {
            busy.run();
        }
    }

    /**
     * Fires on the timer thread when a request outlives its timeout: sends a CancelRequest on a
     * side connection, again while the request goes on (the server ignores a cancel that arrives
     * while the backend still reads the request), and closes the connection if even that gets no
     * reply within the grace period.
     */
    private void onTimeout(long id, Duration timeout) {
        cancelLock.lock();
        try {
            if (requestId != id) {
                return;
            }
            timedOutRequest = id;
            if (!session.expire()) {
                return; // idle between round trips: the next one refuses to start
            }
            Jfr.cancel(session.processId(), session.endpoint().host(), "command timeout of " + timeout.toMillis() + " ms");
            CountDownLatch ended = new CountDownLatch(1);
            requestEnded = ended;
            cancelSender = Thread.ofVirtual().name("pgloom-cancel").start(() -> cancelUntilEnded(id, timeout, ended));
        } finally {
            cancelLock.unlock();
        }
    }

    private void cancelUntilEnded(long id, Duration timeout, CountDownLatch ended) {
        // The grace runs from the timeout, not from a cancel that may itself wait on a dead network.
        ScheduledFuture<?> abort = Timers.schedule(CANCEL_GRACE, () -> {
            if (requestId == id && !session.isUsable()) {
                session.abort("no reply within " + timeout.plus(CANCEL_GRACE).toMillis()
                        + " ms, even after a cancel request (command timeout " + timeout.toMillis() + " ms)");
            }
        });
        long pauseMillis = 50;
        try {
            do {
                session.sendCancel();
                pauseMillis = Math.min(pauseMillis * 2, 1000);
            } while (!ended.await(pauseMillis, TimeUnit.MILLISECONDS) && !abort.isDone());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends a cancel for the request in progress, on a thread of its own so the caller does not
     * wait on the network; it is not sent when that request has ended by the time it would go.
     */
    void cancelCurrent() {
        long id = requestId;
        if (!session.isBusy()) {
            return;
        }
        Jfr.cancel(session.processId(), session.endpoint().host(), "cancel()");
        explicitCancel = Thread.ofVirtual().name("pgloom-cancel").start(() -> {
            if (requestId == id && session.isBusy()) {
                session.sendCancel();
            }
        });
    }

    /**
     * Waits (briefly, at most the cancel grace) for a cancel sent from another thread to have been
     * handed to the backend: the server drops a cancel that reaches an idle backend, but one still on
     * its way when the next query starts would stop that query instead.
     */
    private void awaitExplicitCancel() {
        Thread sender = explicitCancel;
        if (sender != null) {
            joinUninterruptibly(sender, CANCEL_GRACE);
            explicitCancel = null;
        }
    }

    /**
     * Ends request {@code id}: a timer that fires later must not touch the next request, and a
     * cancel already on its way must have reached the server before the next request starts.
     * Otherwise a cancel sent for a query that finished on its own could land on the next one
     * (the server ignores a cancel that arrives while it waits for a command).
     */
    private void endRequest(long id) {
        Thread sender;
        CountDownLatch ended;
        cancelLock.lock();
        try {
            requestId = id + 1;
            sender = timedOutRequest == id ? cancelSender : null;
            ended = requestEnded;
            cancelSender = null;
            requestEnded = null;
        } finally {
            cancelLock.unlock();
        }
        if (ended != null) {
            ended.countDown();
        }
        if (sender != null && session.isUsable()) {
            // (A closed connection has no next request for a late cancel to hit: no need to wait.)
            joinUninterruptibly(sender, CANCEL_GRACE);
        }
    }

    private static void joinUninterruptibly(Thread thread, Duration limit) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + limit.toNanos();
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
