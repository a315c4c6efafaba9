/**
 * pgloom's core: the PostgreSQL wire protocol, connections, authentication, TLS, types and the
 * public API. It depends on {@code java.base} alone.
 */
module io.pgloom.core {
    exports io.pgloom;
    exports io.pgloom.codec;
}
