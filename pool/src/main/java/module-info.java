/** pgloom's connection pool: a fair semaphore and a LIFO stack of idle connections. */
module io.pgloom.pool {
    requires transitive io.pgloom.core;
    requires static jdk.jfr;   // the io.pgloom.PoolAcquire event, when the runtime has jdk.jfr
    exports io.pgloom.pool;
}
