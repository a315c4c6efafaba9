package io.pgloom.internal.client;

import io.pgloom.PgNotification;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The LISTEN callbacks of one connection, and the notifications read but not yet delivered.
 * Notifications arrive inside requests, on the thread holding the connection's lock; they are
 * queued there and delivered after the lock is released, so a callback may use the connection.
 * Thread-safe.
 */
final class NotificationListeners {

    private static final System.Logger LOG = System.getLogger("io.pgloom");

    private final Map<String, List<Consumer<PgNotification>>> byChannel = new ConcurrentHashMap<>();
    private final Queue<PgNotification> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong delivered = new AtomicLong();

    /** Adds a callback; returns true when it is the channel's first (so LISTEN must be sent). */
    boolean add(String channel, Consumer<PgNotification> callback) {
        boolean[] first = {false};
        byChannel.computeIfAbsent(channel, c -> {
            first[0] = true;
            return new CopyOnWriteArrayList<>();
        }).add(callback);
        return first[0];
    }

    /** Removes a callback; returns true when it was the channel's last (so UNLISTEN must be sent). */
    boolean remove(String channel, Consumer<PgNotification> callback) {
        List<Consumer<PgNotification>> list = byChannel.get(channel);
        if (list != null && list.remove(callback) && list.isEmpty()) {
            byChannel.remove(channel);
            return true;
        }
        return false;
    }

    /** Drops every callback (the session's LISTENs are ended by a reset). */
    void clear() {
        byChannel.clear();
    }

    boolean isEmpty() {
        return byChannel.isEmpty();
    }

    /** Keeps only the callbacks of channels the server still listens to. */
    void retainChannels(Set<String> listening) {
        byChannel.keySet().retainAll(listening);
    }

    /** Queues a notification read during a request. */
    void queue(PgNotification notification) {
        pending.add(notification);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** How many notifications have been delivered so far, to count those of one wait. */
    long deliveredCount() {
        return delivered.get();
    }

    /** Hands queued notifications to their channel's callbacks, on the calling thread. */
    void deliver() {
        for (PgNotification n = pending.poll(); n != null; n = pending.poll()) {
            List<Consumer<PgNotification>> list = byChannel.get(n.channel());
            if (list == null) {
                continue;
            }
            delivered.incrementAndGet();
            for (Consumer<PgNotification> callback : list) {
                try {
                    callback.accept(n);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a listener on channel " + n.channel() + " failed", e);
                }
            }
        }
    }
}
