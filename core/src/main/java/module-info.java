/**
 * pgloom's core: the PostgreSQL wire protocol, connections, authentication, TLS, types and the
 * public API. It depends on {@code java.base} alone ({@code jdk.jfr} is used when present).
 */
module io.pgloom.core {
    // JFR events (io.pgloom.Query, io.pgloom.Cancel) when the runtime has jdk.jfr; optional.
    requires static jdk.jfr;
    exports io.pgloom;
    exports io.pgloom.codec;
}
