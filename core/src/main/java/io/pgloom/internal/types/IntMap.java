package io.pgloom.internal.types;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A map from OIDs to values for the types learned at run time: reads are lock-free and
 * allocation-free (open addressing over a volatile array, replaced whole on each write),
 * writes are rare (once per type per connection) and take a lock.
 */
final class IntMap<V> {

    private record Table(int[] keys, Object[] values, int size) {
    }

    private volatile Table table = new Table(new int[16], new Object[16], 0);
    private final ReentrantLock writeLock = new ReentrantLock();

    @SuppressWarnings("unchecked")
    V get(int key) {
        Table t = table;
        int mask = t.keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            Object v = t.values[i];
            if (v == null) {
                return null;
            }
            if (t.keys[i] == key) {
                return (V) v;
            }
        }
    }

    void put(int key, V value) {
        writeLock.lock();
        try {
            Table t = table;
            int capacity = t.keys.length;
            if ((t.size + 1) * 2 > capacity) {
                capacity *= 2;
            }
            int[] keys = new int[capacity];
            Object[] values = new Object[capacity];
            int size = 0;
            for (int i = 0; i < t.keys.length; i++) {
                if (t.values[i] != null && t.keys[i] != key) {
                    insert(keys, values, t.keys[i], t.values[i]);
                    size++;
                }
            }
            insert(keys, values, key, value);
            table = new Table(keys, values, size + 1);
        } finally {
            writeLock.unlock();
        }
    }

    void clear() {
        writeLock.lock();
        try {
            table = new Table(new int[16], new Object[16], 0);
        } finally {
            writeLock.unlock();
        }
    }

    /** Calls {@code action} for each entry of one snapshot of the map. */
    @SuppressWarnings("unchecked")
    void forEach(java.util.function.BiConsumer<Integer, V> action) {
        Table t = table;
        for (int i = 0; i < t.keys.length; i++) {
            if (t.values[i] != null) {
                action.accept(t.keys[i], (V) t.values[i]);
            }
        }
    }

    boolean isEmpty() {
        return table.size == 0;
    }

    private static void insert(int[] keys, Object[] values, int key, Object value) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        return "IntMap" + Arrays.toString(table.keys);
    }
}
