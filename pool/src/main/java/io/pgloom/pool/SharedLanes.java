package io.pgloom.pool;

import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryRequest;
import io.pgloom.SharedConnection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's query methods, pipelined: connections borrowed from the pool as <em>lanes</em>, each
 * carrying up to {@code depth} requests of different callers at once through
 * {@link PgConnection#shared()}.
 *
 * <p><b>Where a request goes.</b> A request of a quick statement (its recent replies came within
 * {@link #QUICK_NANOS}) first joins a busy lane that has fewer than {@link #FILL} in flight, all
 * of quick statements, and answered within that time: a few callers then share one write, one
 * read and one wake-up of the server. Otherwise, to an idle lane if there is one; else to a new lane when a
 * connection can be borrowed at once without jumping the queue of {@link PgPool#acquire()};
 * else to the lane with the fewest in flight, if it is below {@code depth}; else the caller waits
 * in line (first come, first served: a freed slot is handed to the longest waiter, never taken by
 * a newcomer) up to the acquire timeout.
 *
 * <p><b>Alone on a lane.</b> While the pool has room to spare (nobody waits, and another idle
 * lane or a free permit is left after this one), a request that finds an idle lane runs
 * <em>directly</em> on its connection, on the caller's thread, as on a borrowed connection: the
 * caller writes and reads the socket itself. Pipelined, the same request would pass through the
 * lane's writer and reader threads: two more hand-offs between threads, which for a request
 * alone on its lane cost more client CPU than the query (4 callers, each alone on a lane of a
 * pool of 16, ran at 0.56x pgjdbc + HikariCP that way). A lane running a direct request still counts as busy with one, so a burst of
 * requests spreads over it too: those sent to it wait until the direct request ends and then go
 * out together, pipelined, as they would have queued behind it on the stream. Once the pool is
 * busy, requests pipeline as above, where sharing a write and a read is what pays.
 *
 * <p><b>Giving lanes back.</b> A lane is a borrowed connection, so it holds one of the pool's
 * permits. It goes back to the pool (without a reset: nothing that changes the session ran on
 * it) as soon as it has nothing in flight, so an idle pool holds no permits and exclusive users
 * are never starved by lanes; under load lanes stay busy and are kept. A lane whose connection
 * broke or expired takes no new requests and goes back when its last one ends.
 *
 * <p>Thread-safe; the lock guards only the bookkeeping, never I/O.
 */
final class SharedLanes {

    private final SemaphorePool pool;
    private final int depth;
    private final int maxLanes;
    private final Duration acquireTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Lane> lanes = new ArrayList<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int opening;
    private boolean closed;

    static {
        // Initialized here, once, rather than by many callers at once (a virtual thread waiting
        // for another's class initialization is pinned).
        for (Class<?> c : new Class<?>[] {Lane.class, Waiter.class, ReplyTime.class, SharedConnection.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    SharedLanes(SemaphorePool pool, int depth, int maxLanes, Duration acquireTimeout) {
        this.pool = pool;
        this.depth = depth;
        this.maxLanes = maxLanes;
        this.acquireTimeout = acquireTimeout;
    }

    /** True when {@code request} may share a connection (see {@link SharedConnection}). */
    static boolean accepts(QueryRequest<?> request) {
        // instanceof, not a pattern switch: see SharedQueries on linking call sites under load
        if (request instanceof QueryRequest.ExecuteMany m && m.argsList().size() > 1) {
            // A batch runs on a connection of its own: there it becomes multi-row inserts (several
            // times faster than a Bind per row), and it does not hold up the small requests that
            // would queue behind it on a shared connection.
            return false;
        }
        boolean withoutArguments = request instanceof QueryRequest.Execute e && (e.args() == null || e.args().length == 0);
        return request.sql() != null && SharedConnection.changesSession(request.sql(), withoutArguments) == null;
    }

    /** Runs one request on a lane, with {@code timeout} or (null) the connection's command timeout. */
    <T> T run(QueryRequest<T> request, Duration timeout) {
        long queued = 0; // when a request that did not run directly was first queued on a lane
        ReplyTime time = replyTime(request.sql());
        boolean quick = time != null && time.isQuick();
        for (int attempt = 1; ; attempt++) {
            Lane lane = take(quick);
            long taken = System.nanoTime();
            boolean direct = lane.directRunner == Thread.currentThread();
            boolean broken = false;
            try {
                if (direct) {
                    // A lane goes direct only fresh from the pool, which lends no connection with
                    // pipelined replies still due (see giveBack): the stream is this caller's alone.
                    return (timeout == null ? lane.real : lane.real.withTimeout(timeout)).run(request);
                }
                Duration left = timeout;
                if (attempt == 1) {
                    queued = System.nanoTime();
                } else if (timeout != null && !timeout.isZero()) {
                    // Another lane after a broken one: the request's timeout still counts from when it was first queued.
                    left = timeout.minusNanos(System.nanoTime() - queued);
                    if (left.isNegative() || left.isZero()) {
                        throw new PgTimeoutException("timed out after " + timeout.toMillis() + " ms before it was sent:"
                                + " the connection it was first queued on broke while running another request");
                    }
                }
                if (!awaitDirectEnd(lane, left) && attempt < MAX_ATTEMPTS_UNSENT) {
                    // The direct request broke the connection while this one waited, unsent: it
                    // runs on another lane instead of failing for a fault that was not its own.
                    broken = true;
                    continue;
                }
                SharedConnection shared = left == null ? lane.shared : lane.shared.withTimeout(left);
                return shared.run(request);
            } catch (ConnectionException e) {
                broken = true;
                throw e;
            } finally {
                long now = System.nanoTime();
                give(lane, broken, direct, quick, now);
                if (time != null) {
                    time.add(now - taken);
                }
            }
        }
    }

    // ---- filling busy lanes with quick statements ----

    /**
     * How many requests of quick statements a busy lane takes before the next request looks for
     * an idle lane or a new one. Four callers of a point select on one connection instead of
     * four: one write and one read carry all four, and the server wakes once for them (W9 at 4
     * callers, four runs: 15-22 µs of server CPU per query against pgjdbc's 35-47, 22-26 µs of
     * client CPU against its 32-35, 1.26-1.77x pgjdbc + HikariCP, where spreading them ran at parity). At 64
     * callers on 16 connections every lane holds four either way.
     */
    static final int FILL = 4;

    /**
     * A statement is quick when its requests lately took less than this from taking a lane to
     * the reply. Only quick statements join a busy lane, and only a lane that carries nothing
     * else and has answered within this time: so nothing is queued behind a slow statement, or
     * one never measured, or one that is taking long this time. As queueing behind others also
     * counts, a lane that fills up too far for the server makes its statements slow, and they
     * spread out again.
     */
    static final long QUICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Recent reply times per statement text; bounded as {@link io.pgloom.SharedConnection#changesSession}'s verdicts are. */
    private final java.util.concurrent.ConcurrentHashMap<String, ReplyTime> replyTimes =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int REPLY_TIMES_MAX = 4096;
    static final int REPLY_TIME_TEXT_MAX = 2048;

    /** The reply time kept for {@code sql}, made on first use; null when it is not kept (too long, or too many texts). */
    private ReplyTime replyTime(String sql) {
        ReplyTime t = replyTimes.get(sql);
        if (t == null && sql.length() <= REPLY_TIME_TEXT_MAX && replyTimes.size() < REPLY_TIMES_MAX) {
            // putIfAbsent, not computeIfAbsent with a lambda: see SharedQueries on linking call sites under load
            ReplyTime fresh = new ReplyTime();
            ReplyTime raced = replyTimes.putIfAbsent(sql, fresh);
            t = raced != null ? raced : fresh;
        }
        return t;
    }

    /**
     * A moving average of one statement's reply times, weight 1/8 to the newest. Updated without
     * a lock: two updates at once may lose one, which an estimate can afford.
     */
    static final class ReplyTime {
        /** Nanoseconds; negative until the first reply. */
        private volatile long nanos = -1;

        void add(long took) {
            long was = nanos;
            nanos = was < 0 ? took : was + ((took - was) >> 3);
        }

        boolean isQuick() {
            long n = nanos;
            return n >= 0 && n < QUICK_NANOS;
        }
    }

    /** The busiest lane a quick request may join (see {@link #FILL}), or null. */
    private Lane fillable(long now) {
        Lane best = null;
        int fill = Math.min(FILL, depth);
        for (Lane lane : lanes) {
            if (!lane.retiring && lane.inFlight > 0 && lane.inFlight < fill && lane.slowInFlight == 0
                    && now - lane.lastProgress < QUICK_NANOS && (best == null || lane.inFlight > best.inFlight)) {
                best = lane;
            }
        }
        return best;
    }

    /** Counts one more request on {@code lane}. Called with the lock held. */
    private static void enter(Lane lane, boolean quick) {
        if (lane.inFlight == 0) {
            lane.lastProgress = System.nanoTime();
        }
        lane.inFlight++;
        if (!quick) {
            lane.slowInFlight++;
        }
    }

    /** How many lanes a request that was never sent tries before it fails with its last lane's error. */
    static final int MAX_ATTEMPTS_UNSENT = 3;

    /**
     * Waits until the lane's direct request, if one runs, has ended: the socket is its caller's
     * until then. Up to {@code timeout} when there is one; the request's own timeout runs from
     * when it is queued, as for any pipelined request. Returns false when the direct request
     * left the connection closed, so that nothing can be sent on it.
     */
    private boolean awaitDirectEnd(Lane lane, Duration timeout) {
        if (lane.directRunner == null) {
            // Read without the lock: it was set, if at all, before this caller's take() (which
            // took the lock), and no lane turns direct while a request is counted on it; so a
            // null here is no stale one.
            return true;
        }
        lock.lock();
        try {
            long deadline = timeout == null || timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
            while (lane.directRunner != null) {
                if (deadline == 0) {
                    lane.directEnded.await();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new PgTimeoutException("timed out after " + timeout.toMillis() + " ms before it was sent:"
                            + " the connection it was queued on was still running another request");
                }
                lane.directEnded.awaitNanos(left);
            }
            return !lane.real.isClosed(); // broken by the direct request: this one was never sent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("interrupted while waiting for a pipelined slot; nothing was sent", e);
        } finally {
            lock.unlock();
        }
    }

    // ---- taking and giving slots ----

    private Lane take(boolean quick) {
        long deadline = System.nanoTime() + acquireTimeout.toNanos();
        lock.lock();
        try {
            Waiter me = null;
            while (true) {
                if (closed) {
                    throw new PgException("pool is closed: no connection can be acquired from it");
                }
                if (me != null && me.lane != null) {
                    return me.lane;
                }
                if (me == null ? waiters.isEmpty() : waiters.peekFirst() == me) {
                    Lane lane = quick ? fillable(System.nanoTime()) : null;
                    if (lane == null) {
                        lane = pick();
                    }
                    if (lane == null && lanes.size() + opening < maxLanes && pool.mayBorrowNow()) {
                        // Out of line while the lock is let go in open(), so that no slot is handed
                        // to us meanwhile (it would be held and never given back).
                        if (me != null) {
                            waiters.remove(me);
                        }
                        lane = open();
                        if (lane == null && me != null) {
                            waiters.addFirst(me);
                        }
                    }
                    if (lane == null) {
                        lane = leastBusy();
                        if (lane != null && lane.inFlight > 0 && opening > 0) {
                            lane = null; // a connection is on its way: wait for it rather than queue here
                        }
                    }
                    if (lane != null) {
                        if (me != null) {
                            waiters.remove(me);
                        }
                        if (lane.inFlight == 0 && waiters.isEmpty() && roomLeftBesides(lane)) {
                            lane.directRunner = Thread.currentThread();
                        }
                        enter(lane, quick);
                        serveWaiters(); // the others in line may find room too
                        return lane;
                    }
                }
                if (me == null) {
                    me = new Waiter(lock.newCondition(), quick);
                    waiters.addLast(me);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    waiters.remove(me);
                    if (!waiters.isEmpty()) {
                        waiters.peekFirst().wake.signal();
                    }
                    if (me.lane != null) {
                        return me.lane;
                    }
                    throw new PgTimeoutException("no pipelined slot came free within " + acquireTimeout.toMillis()
                            + " ms: " + lanes.size() + " connections with " + depth + " requests in flight each, "
                            + waiters.size() + " more callers waiting; raise maxSize, pipelining or the acquire timeout");
                }
                try {
                    // The first in line wakes now and then, as a permit may have come free for a
                    // new lane; the others sleep until a slot is handed to them or they are first.
                    boolean mayOpen = waiters.peekFirst() == me && lanes.size() + opening < maxLanes;
                    me.wake.awaitNanos(mayOpen ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)) : left);
                } catch (InterruptedException e) {
                    waiters.remove(me);
                    if (!waiters.isEmpty()) {
                        waiters.peekFirst().wake.signal();
                    }
                    if (me.lane != null && !quick) {
                        me.lane.slowInFlight--;
                    }
                    Lane back = me.lane == null ? null : giveLocked(me.lane, false);
                    if (back != null) {
                        lock.unlock();
                        try {
                            giveBack(back);
                        } finally {
                            lock.lock();
                        }
                    }
                    Thread.currentThread().interrupt();
                    throw new PgException("interrupted while waiting for a pipelined slot; nothing was sent", e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a slot to each waiter in line, first come first served, while a lane has room (as
     * {@link #take} would pick it, without opening one), and wakes them. Called with the lock held.
     *
     * <p>Why all at once: a waiter that found room used to wake only the next in line, which
     * took a turn on a carrier to wake the one after it. Under load (64 callers on one core)
     * the callers whose replies came meanwhile joined the line behind them faster than it
     * drained, so the line never emptied: every request waited for a hand-over, and requests
     * went out one at a time instead of together (W9 fell from 45,000 to 16,000 queries/s for
     * seconds at a time, at three times the CPU per query on both sides).
     */
    private void serveWaiters() {
        while (!waiters.isEmpty()) {
            Lane lane = pick();
            if (lane == null) {
                lane = leastBusy();
                if (lane != null && lane.inFlight > 0 && opening > 0) {
                    return; // a connection is on its way: the first in line waits for it (see take)
                }
            }
            if (lane == null) {
                return;
            }
            Waiter next = waiters.pollFirst();
            next.lane = lane;
            enter(lane, next.quick);
            next.wake.signal();
        }
    }

    /**
     * True when, with {@code taken} busy, a newcomer would still find an idle lane or a permit
     * for a new one: the pool is not busy, so {@code taken} may run one request directly.
     */
    private boolean roomLeftBesides(Lane taken) {
        for (Lane lane : lanes) {
            if (lane != taken && lane.inFlight == 0 && !lane.retiring) {
                return true;
            }
        }
        return lanes.size() + opening < maxLanes && pool.mayBorrowNow();
    }

    /** An idle usable lane, or null. */
    private Lane pick() {
        for (Lane lane : lanes) {
            if (lane.inFlight == 0 && !lane.retiring) {
                return lane;
            }
        }
        return null;
    }

    /** The usable lane with the fewest in flight below depth, or null. */
    private Lane leastBusy() {
        Lane best = null;
        for (Lane lane : lanes) {
            if (!lane.retiring && lane.inFlight < depth && (best == null || lane.inFlight < best.inFlight)) {
                best = lane;
            }
        }
        return best;
    }

    /** Borrows a connection for a new lane, outside the lock; null when none could be had at once. */
    private Lane open() {
        opening++;
        lock.unlock();
        Lane lane = null;
        RuntimeException failure = null;
        try {
            PgConnection lease = pool.acquireForLane(); // null: another thread took the free turn first
            if (lease != null) {
                try {
                    lane = new Lane(lease, lock.newCondition());
                } catch (RuntimeException e) {
                    lease.close();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            lock.lock();
            opening--;
        }
        // The caller left the line for this: the one now first must look again, also when this
        // failed (else it sleeps out its whole timeout while the server is back and all queue behind it).
        if (!waiters.isEmpty()) {
            waiters.peekFirst().wake.signal();
        }
        if (failure != null) {
            if (lanes.isEmpty()) {
                throw failure; // nothing else to run on: the caller hears why
            }
            return null;
        }
        if (lane != null) {
            if (closed) {
                pool.releaseLane(lane.lease);
                throw new PgException("pool is closed: no connection can be acquired from it");
            }
            lanes.add(lane);
        }
        return lane;
    }

    private void give(Lane lane, boolean broken, boolean direct, boolean quick, long now) {
        Lane release;
        lock.lock();
        try {
            lane.lastProgress = now;
            if (!quick) {
                lane.slowInFlight--;
            }
            if (direct) {
                lane.directRunner = null;
                lane.directEnded.signalAll();
            }
            release = giveLocked(lane, broken);
        } finally {
            lock.unlock();
        }
        if (release != null) {
            giveBack(release);
        }
    }

    /**
     * Gives a lane's connection back to the pool, once nothing is in flight on it. A request
     * whose caller gave up after it was sent (a timeout, an interrupt) is still on the stream
     * until its reply has been read and dropped; lent meanwhile, the connection would refuse its
     * next borrower's first statement as busy. So such a lane first runs a {@code SELECT 1}
     * behind those replies, on a thread of its own, and goes back when that returns; if even
     * that fails or outlasts the acquire timeout, the connection is closed and the pool discards it.
     */
    private void giveBack(Lane lane) {
        if (lane.real.isClosed() || lane.shared.inFlight() == 0) {
            pool.releaseLane(lane.lease);
            return;
        }
        Thread.ofVirtual().name("pgloom-lane-drain").start(() -> {
            try {
                lane.shared.withTimeout(acquireTimeout).execute("SELECT 1");
            } catch (RuntimeException e) {
                lane.real.close();
            } finally {
                pool.releaseLane(lane.lease);
            }
        });
    }

    /**
     * A request ended: its slot goes to the longest waiter, or the lane goes back to the pool
     * when it broke, expired, or a permit is wanted. Returns the lane to give back, if any.
     */
    private Lane giveLocked(Lane lane, boolean broken) {
        lane.inFlight--;
        if (broken || lane.real.isClosed() || pool.isExpired(lane.lease) || pool.permitsWanted()) {
            // Broken, expired, or an acquire() waits for a permit: take no more requests, so the
            // lane drains and goes back (a busy lane would otherwise keep its permit forever).
            lane.retiring = true;
        }
        if (!lane.retiring) {
            Waiter next = waiters.pollFirst();
            if (next != null) {
                next.lane = lane;
                enter(lane, next.quick);
                next.wake.signal();
                serveWaiters();
                return null;
            }
        } else if (!waiters.isEmpty()) {
            waiters.peekFirst().wake.signal(); // it may open a lane of its own now
        }
        if (lane.inFlight == 0 && lanes.remove(lane)) {
            return lane;
        }
        return null;
    }

    /**
     * Gives back lanes that have nothing in flight, so that an {@code acquire()} does not wait
     * for permits that idle lanes hold. Returns how many.
     */
    int releaseIdle() {
        List<Lane> idle = new ArrayList<>();
        lock.lock();
        try {
            for (var it = lanes.iterator(); it.hasNext(); ) {
                Lane lane = it.next();
                if (lane.inFlight == 0) {
                    it.remove();
                    idle.add(lane);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Lane lane : idle) {
            giveBack(lane);
        }
        return idle.size();
    }

    /** Stops new requests and gives back idle lanes; busy ones go back as their last request ends. */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (Lane lane : lanes) {
                lane.retiring = true;
            }
            for (Waiter w : waiters) {
                w.wake.signal();
            }
        } finally {
            lock.unlock();
        }
        releaseIdle();
    }

    /** Lanes open now and requests in flight on them, for stats and tests. */
    int[] inFlightPerLane() {
        lock.lock();
        try {
            int[] counts = new int[lanes.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = lanes.get(i).inFlight;
            }
            return counts;
        } finally {
            lock.unlock();
        }
    }

    /** A borrowed connection carrying pipelined requests. */
    private static final class Lane {
        final BorrowedConnection lease;
        final PgConnection real;
        final SharedConnection shared;
        int inFlight;
        /** Requests in flight whose statements are not known to be quick: while any is, no quick one joins (see {@link #FILL}). */
        int slowInFlight;
        /** When a reply last came, or the lane last went from idle to busy ({@link System#nanoTime()}). */
        long lastProgress;
        boolean retiring;
        /**
         * The thread running a request directly on {@link #real}, not through {@link #shared};
         * null when none is. Requests sent to the lane meanwhile wait for {@link #directEnded}.
         */
        Thread directRunner;
        final Condition directEnded;

        Lane(PgConnection lease, Condition directEnded) {
            this.directEnded = directEnded;
            this.lease = (BorrowedConnection) lease;
            this.real = this.lease.pooled().connection;
            this.shared = real.shared();
        }
    }

    /** A caller waiting for a slot; {@link #lane} is set when one is handed to it. */
    private static final class Waiter {
        final Condition wake;
        /** Whether its request's statement is quick, for the lane's count when one is handed to it. */
        final boolean quick;
        Lane lane;

        Waiter(Condition wake, boolean quick) {
            this.wake = wake;
            this.quick = quick;
        }
    }
}
