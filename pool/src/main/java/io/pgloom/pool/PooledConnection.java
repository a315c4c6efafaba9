package io.pgloom.pool;

import io.pgloom.PgConnection;
import io.pgloom.PgNotice;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real connection and what the pool knows about it: when it expires, how often it was handed
 * out and when it was last given back.
 *
 * <p>{@code uses} is touched only by whoever holds the connection (one borrower, or the pool
 * while it checks it), and the idle stack's own memory effects carry it from one holder to the
 * next; so is {@code lastReleasedNanos}, which is written and read under the pool's turn lock
 * (or by the holder after it took the connection under that lock); the rest is immutable or
 * volatile.
 *
 * <p>{@link #lease} names the borrow that holds it, if any. It replaces a set of borrows that
 * cost a hash-table insert and removal on every borrow (3.5% of a JdbcTemplate loop's client
 * samples); the pool finds its borrows by looking at its few open connections instead.
 */
final class PooledConnection {

    final PgConnection connection;
    final int serverPid;
    private final boolean expires;
    private final long expiresAtNanos;
    private final AtomicBoolean discarded = new AtomicBoolean();
    long uses;
    /** Written and read under the pool's turn lock, or by the holder after it took the connection under it. */
    long lastReleasedNanos;
    /** The borrow holding this connection, or null while it is idle or being opened, checked or closed. */
    volatile BorrowedConnection lease;

    PooledConnection(PgConnection connection, long lifetimeNanos) {
        this.connection = connection;
        this.serverPid = connection.serverPid();
        long now = System.nanoTime();
        this.expires = lifetimeNanos > 0;
        this.expiresAtNanos = now + lifetimeNanos;
        this.lastReleasedNanos = now;
    }

    boolean isExpired(long nowNanos) {
        return expires && nowNanos - expiresAtNanos >= 0;
    }

    long idleNanos(long nowNanos) {
        return nowNanos - lastReleasedNanos;
    }

    /**
     * Passes a notice on to the current borrow's own log listeners. The pool adds this once per
     * connection, as part of its clean state, so a borrow's listeners cost no change to the
     * connection and need no reset.
     */
    void forwardNotice(PgNotice notice) {
        BorrowedConnection current = lease;
        if (current != null) {
            current.hear(notice);
        }
    }

    /** True for the one caller that gets to close it, so it is counted and closed once. */
    boolean markDiscarded() {
        return discarded.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "PooledConnection{pid=" + serverPid + ", uses=" + uses + "}";
    }
}
