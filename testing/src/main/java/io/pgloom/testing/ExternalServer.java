package io.pgloom.testing;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A server someone else runs, named by {@code PGLOOM_TEST_URL}: used as is. pgloom-testing does
 * not log in to it, so it cannot tell its version (it reports the one asked for), has no files of
 * it (data folder, sockets, certificates are null) and cannot stop or start it.
 */
final class ExternalServer implements Backend {

    private final String url;
    private final URI uri;
    private final String requestedVersion;

    ExternalServer(String url, String requestedVersion) {
        this.url = url;
        this.requestedVersion = requestedVersion;
        try {
            this.uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new PgServerException("PGLOOM_TEST_URL is not a URI (" + e.getMessage()
                    + "): use postgresql://user:password@host:port/database", e);
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new PgServerException("PGLOOM_TEST_URL must start with postgresql://, not " + url);
        }
    }

    /** The URL given, to hand to clients as is. */
    String url() {
        return url;
    }

    /** The given URL with another user and password. */
    String url(String user, String password) {
        String userInfo = encode(user) + (password == null ? "" : ":" + encode(password));
        String hostPart = uri.getRawAuthority();
        int at = hostPart == null ? -1 : hostPart.lastIndexOf('@');
        String hostAndPort = hostPart == null ? "" : hostPart.substring(at + 1);
        return uri.getScheme() + "://" + userInfo + "@" + hostAndPort
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String userInfo(int part) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return null;
        }
        String[] parts = info.split(":", 2);
        return part < parts.length ? URLDecoder.decode(parts[part], StandardCharsets.UTF_8) : null;
    }

    @Override
    public String host() {
        return uri.getHost() == null ? "localhost" : uri.getHost();
    }

    @Override
    public int port() {
        return uri.getPort() == -1 ? 5432 : uri.getPort();
    }

    @Override
    public String version() {
        return requestedVersion;
    }

    @Override
    public String user() {
        return userInfo(0);
    }

    @Override
    public String password() {
        return userInfo(1);
    }

    @Override
    public String database() {
        String path = uri.getPath();
        return path == null || path.length() <= 1 ? user() : path.substring(1);
    }

    @Override
    public Path dataDirectory() {
        return null;
    }

    @Override
    public Path socketDirectory() {
        return null;
    }

    @Override
    public Path tlsDirectory() {
        return null;
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public void start() {
        // someone else's server runs, or not, as they decide
    }

    @Override
    public void stop() {
        throw new PgServerException("cannot stop the external server of PGLOOM_TEST_URL (" + host() + ":" + port()
                + "): a test that stops or restarts its server must build its own with PgServer.builder()");
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
