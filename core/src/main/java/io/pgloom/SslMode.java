package io.pgloom;

/** How a connection uses TLS, as libpq's {@code sslmode} names it. */
public enum SslMode {
    /** Never TLS. */
    DISABLE,
    /** Plain first; TLS only if the server refuses plain. */
    ALLOW,
    /** TLS if the server offers it, else plain (libpq's default). */
    PREFER,
    /** TLS or fail; the certificate is not checked. */
    REQUIRE,
    /** TLS or fail; the certificate must chain to the trusted roots. */
    VERIFY_CA,
    /** As {@link #VERIFY_CA}, and the host name must match the certificate. */
    VERIFY_FULL;

    /** Parses libpq's spelling ({@code verify-full}); throws naming the value when unknown. */
    public static SslMode parse(String value) {
        for (SslMode m : values()) {
            if (m.name().replace('_', '-').equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new PgException("invalid sslmode \"" + value
                + "\": use disable, allow, prefer, require, verify-ca or verify-full");
    }
}
