/**
 * The pgloom pool: many virtual threads sharing a few connections.
 *
 * <pre>{@code
 * PgPool pool = PgPool.create(PoolOptions.builder()
 *         .connectOptions(ConnectOptions.fromUri("postgresql://app@localhost/shop"))
 *         .minSize(2).maxSize(16).build());
 * try (PgConnection conn = pool.acquire()) {   // close() gives it back, reset
 *     conn.fetch("SELECT * FROM users WHERE id > $1", 0);
 * }
 * }</pre>
 *
 * <p>{@link io.pgloom.pool.PgPool} is the pool, {@link io.pgloom.pool.PoolOptions} configures it,
 * {@link io.pgloom.pool.PoolStats} and {@link io.pgloom.pool.PoolListener} observe it. It is built
 * on core's public API alone: a fair {@link java.util.concurrent.Semaphore} orders the waiting
 * threads, a last-in first-out stack holds the idle connections, and no lock is held across I/O.
 */
package io.pgloom.pool;
