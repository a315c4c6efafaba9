package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.internal.session.PreparedStatement;
import io.pgloom.internal.session.Session;
import io.pgloom.internal.types.TypeRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's prepared statements by SQL text, least recently used first out. A statement is
 * parsed and described once; its types are introspected then if the registry does not know
 * them; later calls go straight to Bind/Execute/Sync. An evicted statement is closed on the
 * server in front of the next request. Capacity 0 means the unnamed statement only, described
 * for every call and parsed again in front of its Bind, so that describing and running it may
 * land on different server sessions (safe behind PgBouncer in transaction mode). Used inside the
 * connection's lock.
 */
final class StatementCache {

    private final Session session;
    private final TypeRegistry types;
    private final TypeRegistry.TypeLoader loader;
    private final int capacity;
    private final Map<String, CachedStatement> bySql = new LinkedHashMap<>(16, 0.75f, true);
    private int counter;

    StatementCache(Session session, TypeRegistry types, TypeRegistry.TypeLoader loader, int capacity) {
        this.session = session;
        this.types = types;
        this.loader = loader;
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** True when {@link #get} would return a statement prepared by an earlier request. */
    boolean isCached(String sql) {
        return capacity != 0 && bySql.containsKey(sql);
    }

    /** The statement for {@code sql}, from the cache or freshly prepared (evicting the eldest). */
    CachedStatement get(String sql) {
        if (capacity == 0) {
            CachedStatement unnamed = prepare("", sql);
            session.parseWithNextBind(sql, unnamed.parameterOids);
            return unnamed;
        }
        CachedStatement cached = bySql.get(sql);
        if (cached != null) {
            return cached;
        }
        CachedStatement fresh = prepare("pgloom_" + (++counter), sql);
        put(sql, fresh);
        return fresh;
    }

    /**
     * Prepares the texts not cached yet in one round trip, ahead of a pipeline that runs them all
     * (each would otherwise cost a round trip of its own in {@link #get}). Returns the errors of
     * those the server refused, by text, for the pipeline to report without asking again: in a
     * transaction block the first error aborts it, and a second Parse would only say so. Texts
     * the server skipped after an error are left for {@link #get}. Does nothing for fewer than
     * two new texts, without a cache, or for more than half the cache at once.
     */
    Map<String, PgException> prepareAhead(List<String> sqls) {
        if (capacity == 0) {
            return Map.of();
        }
        java.util.Set<String> unseen = new java.util.LinkedHashSet<>();
        for (String sql : sqls) {
            // get() marks the cached ones used, so that the new ones evict none the pipeline needs
            if (sql != null && bySql.get(sql) == null && unseen.add(sql) && unseen.size() > capacity / 2) {
                return Map.of();
            }
        }
        if (unseen.size() < 2) {
            return Map.of();
        }
        List<String> fresh = new ArrayList<>(unseen);
        List<String> names = new ArrayList<>(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
            names.add("pgloom_" + (++counter));
        }
        Object[] results = session.prepareAll(names, fresh);
        Map<String, PgException> refused = Map.of();
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof PreparedStatement prepared) {
                learnTypes(prepared);
                put(fresh.get(i), new CachedStatement(prepared, types));
            } else if (results[i] instanceof PgException error) {
                if (refused.isEmpty()) {
                    refused = new HashMap<>();
                }
                refused.put(fresh.get(i), error);
            }
        }
        return refused;
    }

    private void put(String sql, CachedStatement statement) {
        bySql.put(sql, statement);
        if (bySql.size() > capacity) {
            var eldest = bySql.entrySet().iterator().next();
            bySql.remove(eldest.getKey());
            session.closeStatementLater(eldest.getValue().name());
        }
    }

    private CachedStatement prepare(String name, String sql) {
        PreparedStatement prepared = session.prepare(name, sql);
        if (learnTypes(prepared) && name.isEmpty()) {
            // Introspection ran queries of its own, replacing the unnamed statement: parse it again.
            prepared = session.prepare(name, sql);
        }
        return new CachedStatement(prepared, types);
    }

    /** Introspects types the registry does not know yet; true when it had to run queries. */
    boolean learnTypes(PreparedStatement prepared) {
        return learnTypes(types, loader, prepared);
    }

    /** {@link #learnTypes(PreparedStatement)} for any registry and loader (the shared cache's too). */
    static boolean learnTypes(TypeRegistry types, TypeRegistry.TypeLoader loader, PreparedStatement prepared) {
        int unknown = 0;
        int[] params = prepared.parameterOids();
        var columns = prepared.columns();
        int[] oids = new int[params.length + (columns == null ? 0 : columns.length)];
        for (int oid : params) {
            if (!types.isKnown(oid)) {
                oids[unknown++] = oid;
            }
        }
        if (columns != null) {
            for (var c : columns) {
                if (!types.isKnown(c.typeOid())) {
                    oids[unknown++] = c.typeOid();
                }
            }
        }
        if (unknown == 0) {
            return false;
        }
        types.learn(Arrays.copyOf(oids, unknown), loader);
        return true;
    }

    /** Drops one statement; closes it on the server unless the server already dropped it. */
    void forget(String sql, CachedStatement statement, boolean alreadyGone) {
        if (bySql.remove(sql) != null && !alreadyGone) {
            session.closeStatementLater(statement.name());
        }
    }

    /** Forgets every statement without closing them: the server dropped them (DISCARD ALL). */
    void forgetAll() {
        bySql.clear();
    }

    /** Closes and forgets every statement, so that each is prepared again (a codec changed). */
    void closeAll() {
        for (CachedStatement s : bySql.values()) {
            session.closeStatementLater(s.name());
        }
        bySql.clear();
    }
}
