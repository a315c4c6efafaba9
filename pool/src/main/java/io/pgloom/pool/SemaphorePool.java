package io.pgloom.pool;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.Queries;
import io.pgloom.QueryRequest;
import io.pgloom.Row;
import io.pgloom.TransactionOptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * {@link PgPool} as {@code maxSize} turns handed out first come, first served, plus a LIFO stack
 * of idle connections. See {@link PgPool} for the behaviour; this comment is about the
 * bookkeeping.
 *
 * <p><b>Turns.</b> Every borrowed connection holds a turn, and so does every acquire while it
 * looks for or opens a connection, and the housekeeper while it opens one for min size. There
 * are at most {@code maxSize}. A caller takes a free turn only when nobody waits; otherwise it
 * queues. A turn ends in exactly one place, {@link #passOn}: it goes, with the connection being
 * given back when there is one, straight to the longest-waiting caller, who is unparked on its
 * own. Only when nobody waits does the connection go onto the stack and the turn become free.
 * (A fair {@link java.util.concurrent.Semaphore} did this before, but its waiters wake one
 * after another, each only once the one before it has run: under load, connections sat idle on
 * the stack while the queue behind them waited for their wake-up calls.)
 *
 * <p><b>Slots.</b> {@link #size} counts open connections (idle, borrowed, being opened or
 * checked) and is reserved before a connect, so there are never more than {@code maxSize}. A
 * turn holder that finds the stack empty and every slot taken knows (since turns, too, are
 * {@code maxSize}) that some connection is not held by anyone with a turn: it is on its way
 * into the stack or out of the pool, so it waits for it briefly.
 *
 * <p><b>Closing.</b> Close marks the pool closed under the same lock that decides between
 * stack and waiter, so a late release cannot push onto a drained stack, and wakes every waiter.
 *
 * <p>The lock ({@link ReentrantLock}, never {@code synchronized}, which would pin a virtual
 * thread) guards only the waiter queue, the turn count, the idle stack and the decision between
 * them; nothing blocks while it is held. An acquire that finds a free turn pops the stack in the
 * same hold of the lock: one lock round per borrow, where a concurrent deque beside the lock cost
 * a second set of atomic updates (2.8% of a JdbcTemplate loop's client samples).
 */
final class SemaphorePool implements PgPool {

    static final System.Logger LOG = System.getLogger("io.pgloom.pool");

    /** How long an acquire that holds a permit naps while a connection is on its way back. */
    private static final long HANDOVER_NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final PoolOptions options;
    private final ConnectOptions connectOptions;
    private final PoolListener listener;
    /** Guards {@link #waiters}, {@link #turnsTaken}, {@link #idle} and the choice between a waiter and the stack. */
    private final ReentrantLock turnLock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /**
     * Wakes waiters whose acquire timeout has passed, so that a waiter parks without a timer of
     * its own: on a virtual thread each timed park schedules and cancels a task on the JDK's
     * delay scheduler and wakes its thread. With 200 web callers in line for 16 connections
     * (W7 /power) untimed parks took the app's CPU per request from 72 to 60 microseconds.
     * Started with the first wait; sleeps until the earliest deadline. Under {@link #turnLock}.
     */
    private Thread timeoutWatch;
    /** How long the watch sleeps from {@link #timeoutWatchSince} (Long.MAX_VALUE: until woken); under the lock. */
    private long timeoutWatchSleep = Long.MAX_VALUE;
    private long timeoutWatchSince;
    private int turnsTaken;
    /** Idle connections, most recently given back first. */
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    /** Every connection the pool has open (changes only when one opens or closes); see {@link PooledConnection#lease}. */
    private final Set<PooledConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger size = new AtomicInteger();
    private final Housekeeper housekeeper;
    private final TransactionRetry transactionRetry;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile boolean closed;
    private final ReentrantLock returnLock = new ReentrantLock();
    private final Condition returned = returnLock.newCondition();
    private volatile boolean fillFailing;
    /** The pipelined query methods; null when {@link PoolOptions#pipelining()} is 1. */
    private final SharedLanes lanes;

    private final LongAdder acquires = new LongAdder();
    private final LongAdder acquireTimeouts = new LongAdder();
    private final LongAdder connectionsCreated = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder totalAcquireWaitNanos = new LongAdder();
    private final AtomicLong maxAcquireWaitNanos = new AtomicLong();

    SemaphorePool(PoolOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        ConnectOptions connect = options.connectOptions();
        if (connect.connectTimeout().isZero() && !options.acquireTimeout().isZero()) {
            // An unreachable host must not hang an acquire (or the housekeeper) forever.
            connect = connect.toBuilder().connectTimeout(options.acquireTimeout()).build();
        }
        this.connectOptions = connect;
        this.listener = options.listener();
        this.transactionRetry = new TransactionRetry(options.maxTransactionAttempts(), options.retryBackoff());
        this.lanes = options.pipelining() > 1 && connect.statementCacheSize() > 0 && !connect.transactionPooler()
                ? new SharedLanes(this, options.pipelining(), options.maxSize(), options.acquireTimeout()) : null;
        this.housekeeper = new Housekeeper(this, options);
        housekeeper.start();
    }

    // ---- acquire ----

    @Override
    public PgConnection acquire() {
        return acquire(options.acquireTimeout());
    }

    @Override
    public PgConnection acquire(Duration timeout) {
        return acquire(timeout, true);
    }

    /**
     * Borrows a connection for a pipelined lane if a turn is free right now; null otherwise. A
     * turn that is not free is no acquire timeout: the requests just go to the lanes there are.
     */
    PgConnection acquireForLane() {
        try {
            return acquire(Duration.ZERO, false);
        } catch (NoTurnNow e) {
            return null;
        }
    }

    /** Thrown by a zero-timeout acquire for a lane that found no free turn; never leaves the pool. */
    private static final class NoTurnNow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoTurnNow() {
            super(null, null, false, false);
        }
    }

    private PgConnection acquire(Duration timeout, boolean counted) {
        if (timeout == null || timeout.isNegative()) {
            throw new PgException("acquire timeout must be zero or positive, not " + timeout);
        }
        if (closed) {
            throw closedException();
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Object event = PoolJfr.started();
        PooledConnection handed;
        try {
            handed = awaitTurn(timeout, start, deadline, counted);
        } catch (PgTimeoutException e) {
            PoolJfr.ended(event, System.nanoTime() - start, true, this);
            throw e;
        }
        BorrowedConnection lease = null;
        PooledConnection pooled = null;
        try {
            pooled = handed;
            if (closed) {
                throw closedException();
            }
            if (pooled != null) {
                String unfit = unfitReason(pooled);
                if (unfit != null) {
                    discard(pooled, unfit);
                    pooled = null;
                }
            }
            if (pooled == null) {
                pooled = takeOrOpen(deadline);
            }
            pooled.uses++;
            lease = new BorrowedConnection(this, pooled, acquiredHere());
            pooled.lease = lease;
        } finally {
            if (lease == null) {
                if (pooled != null) {
                    discard(pooled, "the acquire failed");
                }
                passOn(null);
            }
        }
        // From here the lease owns the turn: closing it gives back both.
        if (closed) {
            lease.close();
            throw closedException();
        }
        if (options.setup() != null) {
            try {
                options.setup().accept(lease);
            } catch (RuntimeException | Error e) {
                lease.close();
                throw e;
            }
        }
        long waited = System.nanoTime() - start;
        acquires.increment();
        totalAcquireWaitNanos.add(waited);
        if (waited > maxAcquireWaitNanos.get()) {
            maxAcquireWaitNanos.accumulateAndGet(waited, Math::max); // an atomic update only for a new maximum
        }
        PoolJfr.ended(event, waited, false, this);
        if (listener != PoolListener.NONE) {
            notify(() -> listener.acquired(waited));
        }
        return lease;
    }

    /**
     * Takes a turn: at once when one is free and nobody waits, else in line behind the callers
     * already waiting. Returns the connection that comes with the turn (the top of the idle stack
     * for a free turn, or the one handed over by a release), or null when the turn came alone.
     */
    private PooledConnection awaitTurn(Duration timeout, long start, long deadline, boolean counted) {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(null);
        }
        Waiter waiter;
        Thread wakeWatch = null;
        boolean lanesReleased = lanes == null;
        while (true) {
            turnLock.lock();
            try {
                if (closed) {
                    throw closedException();
                }
                if (waiters.isEmpty() && turnsTaken < options.maxSize()) {
                    turnsTaken++;
                    return idle.pollFirst();
                }
                if (lanesReleased) {
                    if (timeout.isZero()) {
                        waiter = null;
                    } else {
                        waiter = new Waiter(Thread.currentThread(), deadline);
                        waiters.addLast(waiter);
                        wakeWatch = watchDeadline(deadline);
                    }
                    break;
                }
            } finally {
                turnLock.unlock();
            }
            // No free turn: idle pipelined connections must not keep an acquire waiting. Checked
            // here, not before the first try, so that a borrow with a turn free takes the lock once.
            lanes.releaseIdle();
            lanesReleased = true;
        }
        if (waiter == null) {
            if (!counted) {
                throw new NoTurnNow();
            }
            throw timedOut(timeout, start);
        }
        if (wakeWatch != null) {
            LockSupport.unpark(wakeWatch);
        }
        while (true) {
            Object grant = waiter.grant;
            if (grant == null) {
                long left = deadline - System.nanoTime();
                if (left > 0 && !Thread.currentThread().isInterrupted()) {
                    LockSupport.park(this); // the timeout watch unparks it at its deadline
                    continue;
                }
                turnLock.lock();
                try {
                    grant = waiter.grant;
                    if (grant == null) {
                        waiters.remove(waiter); // gave up: nobody can hand it anything any more
                    }
                } finally {
                    turnLock.unlock();
                }
                if (grant == null) {
                    throw Thread.currentThread().isInterrupted() ? interrupted(null) : timedOut(timeout, start);
                }
            }
            if (grant == CLOSED) {
                throw closedException();
            }
            if (Thread.currentThread().isInterrupted()) {
                PooledConnection given = grant == TURN ? null : (PooledConnection) grant;
                passOn(given);
                throw interrupted(null);
            }
            return grant == TURN ? null : (PooledConnection) grant;
        }
    }

    private PgTimeoutException timedOut(Duration timeout, long start) {
        acquireTimeouts.increment();
        notify(() -> listener.acquireTimedOut(timeout));
        return timeoutException(timeout);
    }

    private static PgException interrupted(Throwable cause) {
        return new PgException("interrupted while waiting for a connection from the pool", cause);
    }

    /**
     * Ends a turn: hands it, with {@code connection} (null when there is none to give), to the
     * longest-waiting caller; when nobody waits, puts the connection on the stack and frees the
     * turn. Each waiter is unparked on its own, so a burst of releases wakes a burst of waiters.
     */
    private void passOn(PooledConnection connection) {
        Waiter next;
        boolean closing;
        turnLock.lock();
        try {
            closing = closed;
            next = closing ? null : waiters.pollFirst();
            if (next != null) {
                if (connection != null) {
                    connection.lastReleasedNanos = System.nanoTime(); // no liveness check: it was in use just now
                }
                next.grant = connection != null ? connection : TURN;
            } else {
                turnsTaken--;
                if (connection != null && !closing) {
                    connection.lastReleasedNanos = System.nanoTime();
                    idle.addFirst(connection);
                }
            }
        } finally {
            turnLock.unlock();
        }
        if (next != null) {
            LockSupport.unpark(next.thread);
        } else if (closing && connection != null) {
            discard(connection, "the pool is closed");
        }
    }

    /** A caller in line for a turn; {@link #grant} is set once, under the lock, by whoever hands it one. */
    private static final class Waiter {
        final Thread thread;
        /** When its acquire times out ({@link System#nanoTime()}). */
        final long deadline;
        volatile Object grant;
        /** The timeout watch has woken it for its deadline; under the lock. */
        boolean woken;

        Waiter(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
        }
    }

    /**
     * Makes sure the timeout watch will wake a waiter due at {@code deadline}: starts it, or
     * returns it when it sleeps past that deadline and must be unparked (after the lock is let
     * go) to sleep less; null when it will wake in time anyway. Under the lock.
     */
    private Thread watchDeadline(long deadline) {
        if (timeoutWatch == null) {
            timeoutWatch = Thread.ofPlatform().daemon().name("pgloom-pool-timeouts").unstarted(this::watchTimeouts);
            timeoutWatch.start();
            return null;
        }
        long now = System.nanoTime();
        long slept = now - timeoutWatchSince;
        if (timeoutWatchSleep == Long.MAX_VALUE || deadline - now < timeoutWatchSleep - slept) {
            return timeoutWatch;
        }
        return null;
    }

    /** The timeout watch: wakes each waiter whose deadline passed, then sleeps until the next one. */
    private void watchTimeouts() {
        List<Thread> due = new ArrayList<>();
        while (true) {
            long sleep = Long.MAX_VALUE;
            turnLock.lock();
            try {
                if (closed) {
                    return;
                }
                long now = System.nanoTime();
                for (Waiter w : waiters) {
                    if (w.woken) {
                        continue;
                    }
                    long left = w.deadline - now;
                    if (left <= 0) {
                        w.woken = true;
                        due.add(w.thread);
                    } else {
                        sleep = Math.min(sleep, left);
                    }
                }
                timeoutWatchSince = now;
                timeoutWatchSleep = sleep;
            } finally {
                turnLock.unlock();
            }
            for (Thread t : due) {
                LockSupport.unpark(t);
            }
            due.clear();
            if (sleep == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    /** Grants besides a connection: a turn without one, and the pool's end. */
    private static final Object TURN = new Object();
    private static final Object CLOSED = new Object();

    /** Pops a fit idle connection, or opens one; the caller holds a turn. */
    private PooledConnection takeOrOpen(long deadlineNanos) {
        while (true) {
            PooledConnection pooled;
            turnLock.lock();
            try {
                pooled = idle.pollFirst();
            } finally {
                turnLock.unlock();
            }
            if (pooled != null) {
                String unfit = unfitReason(pooled);
                if (unfit == null) {
                    return pooled;
                }
                discard(pooled, unfit);
                continue;
            }
            if (reserveSlot(options.maxSize())) {
                return openReserved();
            }
            // Every slot is taken, yet we hold a turn: a connection is on its way into the
            // stack (being given back, or opened by the housekeeper). It comes within moments.
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new PgTimeoutException("no connection came free before the acquire timeout although a turn"
                        + " was granted: all " + size.get() + " connections are borrowed or being opened or checked");
            }
            LockSupport.parkNanos(HANDOVER_NAP_NANOS);
        }
    }

    /** Why an idle connection must not be handed out, or null when it may. */
    private String unfitReason(PooledConnection pooled) {
        long now = System.nanoTime();
        if (pooled.connection.isClosed()) {
            return "it was closed while idle";
        }
        String role = roleMismatch(pooled.connection);
        if (role != null) {
            return role;
        }
        if (pooled.isExpired(now)) {
            return "it reached maxLifetime";
        }
        if (options.maxQueries() > 0 && pooled.uses >= options.maxQueries()) {
            return "it was handed out maxQueries (" + options.maxQueries() + ") times";
        }
        if (pooled.idleNanos(now) >= options.livenessCheckAfter().toNanos()) {
            try {
                pooled.connection.ping(options.validationTimeout());
            } catch (PgException e) {
                return "it failed its liveness check: " + e.getMessage();
            }
        }
        return null;
    }

    private boolean reserveSlot(int limit) {
        while (true) {
            int n = size.get();
            if (n >= limit) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Opens a connection in a reserved slot and runs the init hook; frees the slot on failure. */
    private PooledConnection openReserved() {
        PgConnection connection = null;
        try {
            connection = PgConnection.connect(connectOptions);
            connectionsCreated.increment();
            if (options.init() != null) {
                options.init().accept(connection);
            }
            PooledConnection pooled = new PooledConnection(connection, lifetimeNanos());
            // A borrow's log listeners live on the borrow; this one listener hands them the notices.
            connection.addLogListener(pooled::forwardNotice);
            // What init set up (codecs, listeners, timeout) is what each reset returns to.
            connection.markSessionClean();
            open.add(pooled);
            notify(() -> listener.connectionCreated(pooled.serverPid));
            return pooled;
        } catch (RuntimeException | Error e) {
            size.decrementAndGet();
            if (connection != null) {
                closeQuietly(connection, connection.serverPid(), "the init hook failed: " + e);
            }
            throw e;
        }
    }

    /** maxLifetime less a random part of the jitter, so connections opened together expire apart. */
    private long lifetimeNanos() {
        long lifetime = options.maxLifetime().toNanos();
        long jitter = options.maxLifetimeJitter().toNanos();
        return lifetime == 0 || jitter == 0 ? lifetime : lifetime - ThreadLocalRandom.current().nextLong(jitter);
    }

    private Throwable acquiredHere() {
        if (options.leakDetectionThreshold().isZero()) {
            return null; // a stack trace per acquire costs; only when someone will read it
        }
        return new Throwable("the connection was acquired here, by thread " + Thread.currentThread());
    }

    private PgTimeoutException timeoutException(Duration timeout) {
        return new PgTimeoutException("no connection available within " + timeout.toMillis() + " ms: "
                + inUse() + " of " + options.maxSize() + " in use (maxSize), " + waiting()
                + " more waiting; give connections back sooner, or raise maxSize or the acquire timeout");
    }

    private static PgException closedException() {
        return new PgException("pool is closed: no connection can be acquired from it");
    }

    // ---- release ----

    /** Takes back a borrowed connection: resets it or discards it, then passes its turn on. */
    void release(BorrowedConnection lease, PooledConnection pooled) {
        release(lease, pooled, true);
    }

    /**
     * Takes back a pipelined lane's connection. Only single statements that leave the session as
     * they found it ran on it (see {@link SharedLanes}), so there is nothing to reset.
     */
    void releaseLane(BorrowedConnection lease) {
        PooledConnection pooled = lease.takeBack();
        if (pooled != null) {
            release(lease, pooled, false);
        }
    }

    private void release(BorrowedConnection lease, PooledConnection pooled, boolean reset) {
        long heldNanos = lease.heldNanos(System.nanoTime());
        PooledConnection reusable = null;
        try {
            String unfit = closed ? "the pool is closed" : reset ? restore(lease, pooled) : retired(pooled);
            if (unfit == null) {
                reusable = pooled;
            } else {
                discard(pooled, unfit);
            }
        } catch (RuntimeException | Error e) {
            discard(pooled, "its release failed");
            throw e;
        } finally {
            pooled.lease = null;
            passOn(reusable);
            if (listener != PoolListener.NONE) {
                notify(() -> listener.released(heldNanos));
            }
            if (lease.leakReported()) {
                LOG.log(System.Logger.Level.INFO, "a connection reported as a possible leak was given back after {0} ms",
                        TimeUnit.NANOSECONDS.toMillis(lease.heldNanos(System.nanoTime())));
            }
            if (closed) {
                signalReturned();
            }
        }
    }

    /** Why a connection coming back must not be reused whatever was done with it, or null. */
    private String retired(PooledConnection pooled) {
        if (pooled.connection.isClosed()) {
            return "it was closed while borrowed";
        }
        String role = roleMismatch(pooled.connection);
        if (role != null) {
            return role;
        }
        if (pooled.isExpired(System.nanoTime())) {
            return "it reached maxLifetime";
        }
        if (options.maxQueries() > 0 && pooled.uses >= options.maxQueries()) {
            return "it was handed out maxQueries (" + options.maxQueries() + ") times";
        }
        return null;
    }

    /**
     * Undoes what the borrower did: open transaction, session state, command timeout, listeners.
     * Returns null when the connection may be reused, else why not.
     */
    private String restore(BorrowedConnection lease, PooledConnection pooled) {
        PgConnection conn = pooled.connection;
        String retired = retired(pooled);
        if (retired != null) {
            return retired;
        }
        // An interrupt pending on the borrower's thread would make the connection refuse the
        // reset (a blocking channel closes when an interrupted thread touches it), and would
        // cost a good connection. Keep it aside for the reset and hand it back afterwards.
        boolean interrupted = Thread.currentThread().isInterrupted() && Thread.interrupted();
        try {
            // Costs no round trip: the reset is queued and rides ahead of the next borrower's first
            // request, whose write carries it and whose read checks it.
            if (options.resetEveryRelease() || !conn.sessionChanges().isEmpty()) {
                conn.resetSession();
            }
            String reset = options.resetQuery();
            if (reset != null && !reset.isBlank()) {
                conn.withTimeout(options.validationTimeout()).execute(reset);
            }
            if (conn.isClosed() || conn.isInTransaction()) {
                return "it could not be reset";
            }
            return null;
        } catch (PgException e) {
            return "its reset failed: " + e.getMessage();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Why a connection's server no longer is what {@code target_session_attrs} asked for, or null.
     * PostgreSQL 14+ reports {@code in_hot_standby} and {@code default_transaction_read_only} as
     * they change, so after a failover (a primary demoted or made read-only, a standby promoted)
     * the pool drops such connections without asking, and new ones go to the server that fits.
     */
    private String roleMismatch(PgConnection conn) {
        ConnectOptions.TargetSessionAttrs target = connectOptions.targetSessionAttrs();
        if (target == null || target == ConnectOptions.TargetSessionAttrs.ANY
                || target == ConnectOptions.TargetSessionAttrs.PREFER_STANDBY) {
            return null;
        }
        java.util.Map<String, String> reported = conn.serverParameters();
        boolean standby = "on".equals(reported.get("in_hot_standby"));
        boolean readOnly = standby || "on".equals(reported.get("default_transaction_read_only"));
        boolean fits = switch (target) {
            case READ_WRITE -> !readOnly;
            case READ_ONLY -> readOnly || !reported.containsKey("default_transaction_read_only");
            case PRIMARY -> !standby;
            case STANDBY -> standby || !reported.containsKey("in_hot_standby");
            default -> true;
        };
        return fits ? null : "its server is no longer " + target.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-') + " (target_session_attrs)";
    }

    /** Closes a connection the pool gives up, once, and frees its slot. Never throws. */
    private void discard(PooledConnection pooled, String reason) {
        if (!pooled.markDiscarded()) {
            return;
        }
        size.decrementAndGet();
        open.remove(pooled);
        LOG.log(System.Logger.Level.DEBUG, () -> "closing pooled connection (pid " + pooled.serverPid + "): " + reason);
        closeQuietly(pooled.connection, pooled.serverPid, reason);
        if (!closed) {
            housekeeper.wakeUp(); // min size may need a replacement
        }
    }

    private void closeQuietly(PgConnection connection, int serverPid, String reason) {
        try {
            connection.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a pooled connection failed", e);
        }
        connectionsClosed.increment();
        notify(() -> listener.connectionClosed(serverPid, reason));
    }

    // ---- housekeeping (on the housekeeper's thread) ----

    /** One round: retire idle connections that expired or idled too long, report leaks, refill. */
    void housekeep() {
        if (closed) {
            return;
        }
        retireIdle();
        reportLeaks();
        fillToMinSize();
    }

    private void retireIdle() {
        long now = System.nanoTime();
        long idleTimeout = options.idleTimeout().toNanos();
        // From the bottom of the stack: the longest idle first. Taken off under the lock, so an
        // acquire cannot pop them meanwhile; closed outside it.
        java.util.List<PooledConnection> retire = new java.util.ArrayList<>();
        java.util.List<String> reasons = new java.util.ArrayList<>();
        turnLock.lock();
        try {
            int open = size.get();
            for (Iterator<PooledConnection> it = idle.descendingIterator(); it.hasNext(); ) {
                PooledConnection pooled = it.next();
                String reason = null;
                if (pooled.isExpired(now)) {
                    reason = "it reached maxLifetime";
                } else if (idleTimeout > 0 && pooled.idleNanos(now) >= idleTimeout && open - retire.size() > options.minSize()) {
                    reason = "it was idle longer than idleTimeout";
                }
                if (reason != null) {
                    it.remove();
                    retire.add(pooled);
                    reasons.add(reason);
                }
            }
        } finally {
            turnLock.unlock();
        }
        for (int i = 0; i < retire.size(); i++) {
            discard(retire.get(i), reasons.get(i));
        }
    }

    private void reportLeaks() {
        long threshold = options.leakDetectionThreshold().toNanos();
        if (threshold == 0) {
            return;
        }
        long now = System.nanoTime();
        for (PooledConnection pooled : open) {
            BorrowedConnection lease = pooled.lease;
            if (lease == null) {
                continue;
            }
            long held = lease.heldNanos(now);
            if (held >= threshold && lease.pooled() != null && lease.markLeakReported()) {
                Duration heldFor = Duration.ofNanos(held);
                LOG.log(System.Logger.Level.WARNING, "a connection has been borrowed for " + heldFor.toMillis()
                        + " ms, longer than leakDetectionThreshold (" + options.leakDetectionThreshold().toMillis()
                        + " ms); was it never closed? Where it was acquired:", lease.acquiredAt());
                notify(() -> listener.leakSuspected(heldFor, lease.acquiredAt()));
            }
        }
    }

    /**
     * Opens connections until {@code minSize} are open. It takes a free turn without waiting
     * and without jumping the queue: when threads wait, they open what they need themselves.
     */
    private void fillToMinSize() {
        while (!closed && size.get() < options.minSize()) {
            turnLock.lock();
            try {
                if (!waiters.isEmpty() || turnsTaken >= options.maxSize()) {
                    return;
                }
                turnsTaken++;
            } finally {
                turnLock.unlock();
            }
            PooledConnection opened = null;
            try {
                if (!reserveSlot(options.minSize())) {
                    return;
                }
                opened = openReserved();
                if (fillFailing) {
                    fillFailing = false;
                    LOG.log(System.Logger.Level.INFO, "the pool can open connections again");
                }
            } catch (PgException e) {
                // Log the first failure of a streak loudly, the rest quietly; retry next round.
                LOG.log(fillFailing ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                        "cannot open a connection to keep minSize (" + options.minSize() + "); retrying", e);
                fillFailing = true;
                return;
            } finally {
                passOn(opened);
            }
        }
    }

    // ---- Queries: borrow for one statement ----

    @Override
    public io.pgloom.RowCursor cursor(String sql, Object... args) {
        PgConnection conn = acquire();
        try {
            return new BorrowedCursor(conn.cursor(sql, args), conn);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    @Override
    public <T> T run(QueryRequest<T> request) {
        if (lanes != null && SharedLanes.accepts(request)) {
            return lanes.run(request, null);
        }
        // When the connection failed before the server ran the request (a previous borrower's
        // reset, sent ahead of it, failed; or the socket had died while idle), it is tried once
        // more on another connection: that cannot run it twice. A failure to connect is not.
        for (int attempt = 1; ; attempt++) {
            PgConnection borrowed = acquire();
            try (PgConnection conn = borrowed) {
                return conn.run(request);
            } catch (ConnectionException e) {
                if (e.requestSent() || attempt > 1 || closed) {
                    throw e;
                }
                LOG.log(System.Logger.Level.DEBUG, "retrying a statement that never ran: {0}", e.getMessage());
            }
        }
    }

    @Override
    public Queries withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new PgException("timeout must be zero (none) or positive, not " + timeout);
        }
        return new Queries() {
            @Override
            public <T> T run(QueryRequest<T> request) {
                if (lanes != null && SharedLanes.accepts(request)) {
                    return lanes.run(request, timeout);
                }
                try (PgConnection conn = acquire()) {
                    return conn.withTimeout(timeout).run(request);
                }
            }
        };
    }

    // ---- for SharedLanes ----

    /** True when a permit is free and nobody waits for one: a lane may be borrowed without jumping the queue. */
    boolean mayBorrowNow() {
        turnLock.lock();
        try {
            return waiters.isEmpty() && turnsTaken < options.maxSize();
        } finally {
            turnLock.unlock();
        }
    }

    /** True when threads wait for a permit, so lanes with nothing in flight should give theirs back. */
    boolean permitsWanted() {
        turnLock.lock();
        try {
            return !waiters.isEmpty();
        } finally {
            turnLock.unlock();
        }
    }

    /** True when the connection a lane holds reached its maximum lifetime. */
    boolean isExpired(PgConnection lease) {
        PooledConnection pooled = ((BorrowedConnection) lease).pooled();
        return pooled == null || pooled.isExpired(System.nanoTime());
    }

    /** Requests in flight on each pipelined connection, for tests. */
    int[] pipelinedInFlight() {
        return lanes == null ? new int[0] : lanes.inFlightPerLane();
    }

    // ---- transactions with retry ----

    @Override
    public <T> T inTransaction(Function<PgConnection, T> body) {
        return inTransaction(TransactionOptions.DEFAULT, body);
    }

    @Override
    public <T> T inTransaction(TransactionOptions txOptions, Function<PgConnection, T> body) {
        return transactionRetry.run(this::acquire, txOptions, body);
    }

    // ---- state and closing ----

    @Override
    public PoolStats stats() {
        int waiting;
        int available;
        int idleCount;
        turnLock.lock();
        try {
            waiting = waiters.size();
            available = options.maxSize() - turnsTaken;
            idleCount = idle.size();
        } finally {
            turnLock.unlock();
        }
        return new PoolStats(options.maxSize(), size.get(), idleCount, inUse(), waiting, available, acquires.sum(), acquireTimeouts.sum(), connectionsCreated.sum(),
                connectionsClosed.sum(), totalAcquireWaitNanos.sum(), maxAcquireWaitNanos.get());
    }

    @Override
    public PoolOptions options() {
        return options;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        close(options.closeTimeout());
    }

    @Override
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!beginClose()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        housekeeper.stop(timeout);
        drainIdle();
        long remaining = deadline - System.nanoTime();
        returnLock.lock();
        try {
            while (inUse() > 0 && remaining > 0) {
                remaining = returned.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            returnLock.unlock();
        }
        closeBorrowed("the pool closed and the close timeout (" + timeout.toMillis() + " ms) passed");
    }

    @Override
    public void terminate() {
        beginClose();
        housekeeper.stop(Duration.ZERO);
        drainIdle();
        closeBorrowed("the pool was terminated");
    }

    /** Refuses new acquires from now on and wakes the waiting ones; true for the first caller. */
    private boolean beginClose() {
        if (!closeStarted.compareAndSet(false, true)) {
            return false;
        }
        List<Waiter> woken;
        turnLock.lock();
        try {
            closed = true;
            // Every waiter fails at once instead of at its timeout.
            woken = List.copyOf(waiters);
            waiters.clear();
            for (Waiter w : woken) {
                w.grant = CLOSED;
            }
        } finally {
            turnLock.unlock();
        }
        for (Waiter w : woken) {
            LockSupport.unpark(w.thread);
        }
        Thread watch;
        turnLock.lock();
        try {
            watch = timeoutWatch;
        } finally {
            turnLock.unlock();
        }
        if (watch != null) {
            LockSupport.unpark(watch); // it sees the pool closed and ends
        }
        if (lanes != null) {
            lanes.close();
        }
        return true;
    }

    private void drainIdle() {
        List<PooledConnection> drained;
        turnLock.lock();
        try {
            drained = List.copyOf(idle);
            idle.clear();
        } finally {
            turnLock.unlock();
        }
        for (PooledConnection pooled : drained) {
            discard(pooled, "the pool is closed");
        }
    }

    /** Closes the real connections still borrowed; their borrowers' next call fails, and close() returns them. */
    private void closeBorrowed(String reason) {
        for (PooledConnection pooled : open) {
            if (pooled.lease != null) {
                LOG.log(System.Logger.Level.WARNING, "closing a borrowed connection (pid " + pooled.serverPid + "): "
                        + reason);
                try {
                    pooled.connection.close(); // safe from any thread; aborts a request in progress
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing a borrowed connection failed", e);
                }
            }
        }
    }

    /** Connections borrowed now, pipelined lanes included. */
    private int inUse() {
        int n = 0;
        for (PooledConnection pooled : open) {
            if (pooled.lease != null) {
                n++;
            }
        }
        return n;
    }

    private int waiting() {
        turnLock.lock();
        try {
            return waiters.size();
        } finally {
            turnLock.unlock();
        }
    }

    private void signalReturned() {
        returnLock.lock();
        try {
            returned.signalAll();
        } finally {
            returnLock.unlock();
        }
    }

    private static void notify(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a PoolListener failed", e);
        }
    }

    @Override
    public String toString() {
        PoolStats s = stats();
        return "PgPool{" + connectOptions.host() + ":" + connectOptions.port() + "/" + connectOptions.database()
                + ", size=" + s.size() + ", idle=" + s.idle() + ", inUse=" + s.inUse() + ", waiting=" + s.waiting()
                + (closed ? ", closed" : "") + "}";
    }
}
