/** The pgloom pool: many virtual threads sharing a few connections. */
package io.pgloom.pool;
