/**
 * pgloom-jdbc: a {@code java.sql.Driver} ({@code jdbc:pgloom://...}) and {@code DataSource} over
 * pgloom's core and pool, for ORMs and tools that speak JDBC.
 */
module io.pgloom.jdbc {
    requires transitive java.sql;
    requires io.pgloom.core;
    requires io.pgloom.pool;

    exports io.pgloom.jdbc;

    provides java.sql.Driver with io.pgloom.jdbc.PgloomDriver;
}
