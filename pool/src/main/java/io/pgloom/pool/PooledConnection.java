package io.pgloom.pool;

import io.pgloom.PgConnection;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real connection and what the pool knows about it: when it expires, how often it was handed
 * out and when it was last given back.
 *
 * <p>{@code uses} is touched only by whoever holds the connection (one borrower, or the pool
 * while it checks it), and the idle stack's own memory effects carry it from one holder to the
 * next; the rest is immutable or volatile.
 */
final class PooledConnection {

    final PgConnection connection;
    final int serverPid;
    private final boolean expires;
    private final long expiresAtNanos;
    private final AtomicBoolean discarded = new AtomicBoolean();
    long uses;
    volatile long lastReleasedNanos;

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

    /** True for the one caller that gets to close it, so it is counted and closed once. */
    boolean markDiscarded() {
        return discarded.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "PooledConnection{pid=" + serverPid + ", uses=" + uses + "}";
    }
}
