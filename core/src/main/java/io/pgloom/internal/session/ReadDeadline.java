package io.pgloom.internal.session;

import io.pgloom.internal.io.ReadBuffer;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * A connection's read timeout: breaks the session when a read has waited longer than the timeout
 * for its next byte. One timer per connection, not one per read: it wakes once per timeout while
 * nothing waits, and when a read is waiting it sleeps exactly for the rest of that read's allowance,
 * so it fires within the bound however the wait lines up with its wake-ups. Reads only stamp a
 * start time ({@link ReadBuffer#waitingSince()}); an idle connection has no read waiting and so
 * never trips it. A write that blocks is clocked the same way ({@link ReadBuffer#clockWrite}): a
 * COPY into a server or network that stopped taking bytes fails like a query that gets no reply.
 */
final class ReadDeadline implements Runnable {

    private final Session session;
    private final ReadBuffer in;
    private final long timeoutNanos;
    private final String description;
    private volatile ScheduledFuture<?> next;
    private volatile boolean stopped;

    private ReadDeadline(Session session, ReadBuffer in, Duration timeout) {
        this.session = session;
        this.in = in;
        this.timeoutNanos = timeout.toNanos();
        this.description = "no reply from the server, or no room to send to it, for the read timeout of "
                + timeout.toMillis() + " ms (read_timeout): the network or the server is unresponsive";
    }

    /** Starts watching {@code in}'s reads; null when {@code timeout} is zero (off). */
    static ReadDeadline start(Session session, ReadBuffer in, Duration timeout) {
        if (timeout.isZero()) {
            return null;
        }
        ReadDeadline deadline = new ReadDeadline(session, in, timeout);
        in.clockWaits(true);
        deadline.next = Timers.schedule(timeout, deadline);
        return deadline;
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        long since = in.waitingSince();
        long delay = timeoutNanos;
        if (since != 0) {
            long waited = System.nanoTime() - since;
            if (waited >= timeoutNanos) {
                stopped = true;
                session.abort(description);
                return;
            }
            delay = timeoutNanos - waited;
        }
        next = Timers.schedule(Duration.ofNanos(delay), this);
        if (stopped) {
            next.cancel(false); // stop() ran while we rescheduled
        }
    }

    /** Stops the timer for good (the session closed). */
    void stop() {
        stopped = true;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
