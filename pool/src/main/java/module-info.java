/** pgloom's connection pool: a fair semaphore and a LIFO stack of idle connections. */
module io.pgloom.pool {
    requires transitive io.pgloom.core;
    exports io.pgloom.pool;
}
