package io.pgloom.internal.io;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Where virtual threads wait for their replies when more of them wait than there are carriers:
 * a watcher (a virtual thread of its own) asks the kernel, socket by socket, which replies have
 * come and wakes their readers, who park without the JDK's poller.
 *
 * <p>Why: parked in the poller, a reader's reply wakes the poller's thread, which unparks the
 * reader, which must be scheduled, and an idle carrier woken. On loopback the server's core pays
 * for the first of those wake-ups: the socket it writes to has a sleeping waiter. In W9 (four
 * JdbcTemplate or Hibernate callers on one client core, the server on another) the poller chain
 * was a fifth of the client's samples and the carrier's own idle spin another fifth, and the
 * server's core was the limit, at parity with pgjdbc. The watcher turns that idle time into the
 * polling that replaces the chain: it yields the carrier after every sweep, so it runs only when
 * no other virtual thread is ready, and a reader it wakes runs on its next yield, with no kernel
 * wake-up on either side. Measured: the server's CPU per query fell by about a fifth, and W9 ran
 * about 1.1 times pgjdbc + HikariCP (see jmh/RESULTS.md).
 *
 * <p>How long a crowd waits here does not depend on its own channel alone (each reply waits its
 * turn behind the others' on the server), so the channels' estimates neither decide nor learn
 * from it. The watch keeps its own rules instead. A wait goes back to the poller after
 * {@link #WAIT_CEILING_NANOS}, or once no reply at all has come for
 * {@link #IDLE_LIMIT_NANOS}: a slow server or a slow query costs a short spin, then a park as
 * before. And the watch keeps a moving share of the waits it handed back: while more than a
 * quarter go back, crowds park in the poller at once, apart from one wait in
 * {@link #PROBE_EVERY} that finds out whether replies are quick again.
 *
 * <p>Each {@code FIONREAD} is a system call, and asking every watched socket on every sweep
 * made the watcher's sweeps a third of the client's CPU in W9, on the path of the replies it was
 * there to catch. Replies come back about in the order their requests went out (the server's
 * cores take them in turn), so a sweep asks the oldest waits first and stops at the first that
 * has nothing yet; every fourth sweep asks them all, so that a reply which overtook an older wait
 * (a slow query's) is seen a few sweeps later. At most {@link #SLOTS} waiters are watched; any
 * more park in the poller.
 */
final class ReplyWatch {

    /** How many waiters the watcher sweeps at most. */
    static final int SLOTS = 16;
    /** The longest a wait stays in the watch. */
    static final long WAIT_CEILING_NANOS = 1_000_000;
    /** With no reply for this long, every wait goes back to the poller. */
    static final long IDLE_LIMIT_NANOS = 200_000;
    /** How long a watcher with nobody to watch stays, for the next waiter, before it ends. */
    static final long LINGER_NANOS = 50_000;
    /** While the watch is not worth it, one crowded wait in this many still tries it. */
    static final int PROBE_EVERY = 32;

    /** The waiters being watched; a null slot is free. */
    private static final AtomicReferenceArray<Waiter> WAITERS = new AtomicReferenceArray<>(SLOTS);
    /** True while a watcher runs. */
    private static final AtomicBoolean WATCHING = new AtomicBoolean();

    private static final int WAITING = 0;
    private static final int ARRIVED = 1;
    private static final int HANDED_BACK = 2;

    /** {@link #handedBackShare} as a whole, in fixed point. */
    private static final int ONE = 1 << 16;
    /**
     * A moving average of the share of waits handed back, of {@link #ONE}: each wait moves it a
     * 32nd of the way to ONE (handed back) or to 0 (caught). Written by the one watcher at a
     * time; read by anyone, where a stale value only delays a switch by a wait or two.
     */
    private static volatile int handedBackShare;
    /** Crowded waits sent to the poller since the last probe; racy counts only shift a probe. */
    private static int sinceProbe;

    /**
     * Replies the watcher caught and waits it handed back: written only by the one watcher at a
     * time, each before the waiter's state, whose write publishes it; for tests.
     */
    private static long arrivals;
    private static long handBacks;

    private ReplyWatch() {}

    /** A channel's place in the watch, reused for each of its waits. */
    static final class Waiter {
        final PlainChannel channel;
        volatile Thread thread;
        /** When the wait goes back to the poller whatever happens, by {@link System#nanoTime()}. */
        volatile long handBackAt;
        /** How long with no reply at all before the wait goes back. */
        volatile long idleLimit;
        /**
         * When the channel last wrote, which orders the sweeps: replies come about in the order
         * their requests went out. Set by the channel's writer.
         */
        volatile long since;
        /** {@link #WAITING}, {@link #ARRIVED} (bytes are there) or {@link #HANDED_BACK} (read blocking). */
        volatile int state;

        Waiter(PlainChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * True when a crowded wait should wait here: while few waits go back to the poller, and for
     * one probe in {@link #PROBE_EVERY} while many do.
     */
    static boolean worthWatching() {
        if (handedBackShare < ONE / 4) {
            return true;
        }
        if (++sinceProbe >= PROBE_EVERY) {
            sinceProbe = 0;
            return true;
        }
        return false;
    }

    /**
     * Waits until bytes have come on {@code waiter}'s channel, returning true, or until the watch
     * hands the wait back (see the class comment; every slot taken; an interrupt), returning
     * false: the caller's read then parks in the poller. {@code fixedLimitNanos}, when positive,
     * replaces both time limits; for tests.
     */
    static boolean await(Waiter waiter, long fixedLimitNanos) {
        Thread me = Thread.currentThread();
        waiter.thread = me;
        long now = System.nanoTime();
        waiter.handBackAt = now + (fixedLimitNanos > 0 ? fixedLimitNanos : WAIT_CEILING_NANOS);
        waiter.idleLimit = fixedLimitNanos > 0 ? fixedLimitNanos : IDLE_LIMIT_NANOS;
        waiter.state = WAITING; // all of these before the slot publishes them
        int slot = claimSlot(waiter);
        if (slot < 0) {
            return false;
        }
        try {
            if (!WATCHING.get() && WATCHING.compareAndSet(false, true)) {
                startWatcher();
            }
            while (true) {
                int state = waiter.state;
                if (state != WAITING) {
                    return state == ARRIVED;
                }
                if (me.isInterrupted()) {
                    return false; // the blocking read reports it
                }
                // A stray unpark (a late one, from an earlier wait) only loops once more.
                LockSupport.park(ReplyWatch.class);
            }
        } finally {
            WAITERS.set(slot, null);
        }
    }

    private static int claimSlot(Waiter waiter) {
        for (int i = 0; i < SLOTS; i++) {
            if (WAITERS.get(i) == null && WAITERS.compareAndSet(i, null, waiter)) {
                return i;
            }
        }
        return -1;
    }

    private static void startWatcher() {
        try {
            Thread.ofVirtual().name("pgloom-reply-watch").inheritInheritableThreadLocals(false).start(ReplyWatch::watch);
        } catch (Throwable t) {
            // No watcher: nobody may be left parked here waiting for one.
            WATCHING.set(false);
            handBackAll();
            throw t;
        }
    }

    /**
     * The watcher's loop: sweeps the watched sockets, wakes each waiter whose bytes came or whose
     * time is up, and yields the carrier between sweeps. It ends once nobody has waited for
     * {@link #LINGER_NANOS}: {@link #WATCHING} is cleared before the slots are looked at once
     * more, and a waiter publishes itself before it looks at {@link #WATCHING}, so a waiter is
     * either seen here or starts the next watcher.
     */
    private static void watch() {
        long now = System.nanoTime();
        long lastArrival = now;
        long idleSince = now;
        Waiter[] byAge = new Waiter[SLOTS];
        int sweeps = 0;
        while (true) {
            long lastSweep = now;
            now = System.nanoTime();
            if (now - lastSweep > IDLE_LIMIT_NANOS / 2) {
                // The watcher itself was kept from looking (the carrier busy, a pause): replies may
                // have come unseen, so the silence so far says nothing about the server.
                lastArrival = now;
            }
            int n = 0;
            for (int i = 0; i < SLOTS; i++) {
                Waiter waiter = WAITERS.get(i);
                if (waiter != null && waiter.state == WAITING) {
                    long since = waiter.since;
                    int j = n++;
                    while (j > 0 && byAge[j - 1].since - since > 0) {
                        byAge[j] = byAge[j - 1];
                        j--;
                    }
                    byAge[j] = waiter;
                }
            }
            boolean full = (++sweeps & 3) == 0;
            boolean missed = false;
            boolean anyWaiting = false;
            for (int k = 0; k < n; k++) {
                Waiter waiter = byAge[k];
                byAge[k] = null;
                boolean due = now - waiter.handBackAt > 0 || now - lastArrival > waiter.idleLimit;
                boolean ask = full || !missed || due; // a wait is asked once more before it goes back
                if (ask && waiter.channel.waitingBytes() != 0) {
                    arrivals++;
                    handedBackShare -= handedBackShare >> 5;
                    lastArrival = now;
                    wake(waiter, ARRIVED);
                    continue;
                }
                missed |= ask;
                if (due) {
                    handBacks++;
                    handedBackShare += (ONE - handedBackShare) >> 5;
                    wake(waiter, HANDED_BACK);
                } else {
                    anyWaiting = true;
                }
            }
            if (anyWaiting) {
                idleSince = now;
            } else {
                lastArrival = now; // the idle limit counts from the next wait on
                if (now - idleSince > LINGER_NANOS) {
                    WATCHING.set(false);
                    if (!anyWatched() || !WATCHING.compareAndSet(false, true)) {
                        return;
                    }
                    idleSince = now;
                }
            }
            // Runs whatever virtual thread is ready, the ones just woken first in line; with
            // none, returns at once.
            Thread.yield();
        }
    }

    private static void wake(Waiter waiter, int state) {
        waiter.state = state;
        LockSupport.unpark(waiter.thread);
    }

    private static boolean anyWatched() {
        for (int i = 0; i < SLOTS; i++) {
            Waiter waiter = WAITERS.get(i);
            if (waiter != null && waiter.state == WAITING) {
                return true;
            }
        }
        return false;
    }

    /** Sends every still-waiting waiter to the poller. */
    private static void handBackAll() {
        for (int i = 0; i < SLOTS; i++) {
            Waiter waiter = WAITERS.get(i);
            if (waiter != null && waiter.state == WAITING) {
                wake(waiter, HANDED_BACK);
            }
        }
    }

    /** Replies the watcher has caught so far; for tests. */
    static long arrivals() {
        return arrivals;
    }

    /** Waits the watcher has handed back to the poller so far; for tests. */
    static long handBacks() {
        return handBacks;
    }

    /** True while more than a quarter of the waits go back, so that crowds park at once; for tests. */
    static boolean crowdsPark() {
        return handedBackShare >= ONE / 4;
    }

    /** True while a watcher runs; for tests. */
    static boolean watching() {
        return WATCHING.get();
    }

    /** How many waiters are watched now; for tests. */
    static int watched() {
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (WAITERS.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
