package io.pgloom.internal.client;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.internal.session.Session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Opens a connection: tries each host of a multi-host URI in order (or, with
 * {@code load_balance_hosts=random}, in an order shuffled per connection), and checks each against
 * {@code target_session_attrs} before it is used, as libpq does. A host that refuses, does not
 * answer within {@code connect_timeout} (which bounds each host's attempt, as in libpq) or does
 * not fit is skipped.
 */
final class Connector {

    private Connector() {
    }

    /**
     * Opens a connection, trying each endpoint in order until one accepts.
     *
     * @throws ConnectionException when none can be reached, naming each failure
     */
    static PgConnection open(ConnectOptions options) {
        List<ConnectOptions.Endpoint> order = options.endpoints();
        if (options.loadBalanceHosts() == ConnectOptions.LoadBalanceHosts.RANDOM && order.size() > 1) {
            order = new ArrayList<>(order);
            Collections.shuffle(order, ThreadLocalRandom.current());
        }
        ConnectOptions.TargetSessionAttrs target = options.targetSessionAttrs();
        if (target == ConnectOptions.TargetSessionAttrs.PREFER_STANDBY) {
            // libpq: first look for a standby among all hosts, then take any.
            try {
                return open(options, order, ConnectOptions.TargetSessionAttrs.STANDBY);
            } catch (PgException e) {
                return open(options, order, ConnectOptions.TargetSessionAttrs.ANY);
            }
        }
        return open(options, order, target == null ? ConnectOptions.TargetSessionAttrs.ANY : target);
    }

    /** Tries each endpoint in order until one accepts and matches {@code target}. */
    private static PgConnection open(ConnectOptions options, List<ConnectOptions.Endpoint> order,
                                     ConnectOptions.TargetSessionAttrs target) {
        Supplier<javax.net.ssl.SSLContext> sslContext = () -> TlsConfig.sslContext(options);
        if (options.sslMode() == io.pgloom.SslMode.VERIFY_CA || options.sslMode() == io.pgloom.SslMode.VERIFY_FULL) {
            // A missing or unreadable CA is a configuration error: report it before opening any TCP connection.
            javax.net.ssl.SSLContext context = TlsConfig.sslContext(options);
            sslContext = () -> context;
        }
        boolean verifyHostName = TlsConfig.verifyHostName(options);
        PgException first = null;
        for (ConnectOptions.Endpoint endpoint : order) {
            ClientConnection.Listener listener = new ClientConnection.Listener();
            try {
                Session session = Session.connect(options, endpoint, sslContext, verifyHostName, listener);
                ClientConnection connection = new ClientConnection(options, session, endpoint, listener);
                String mismatch = mismatch(connection, session, target);
                if (mismatch == null) {
                    return connection;
                }
                connection.close();
                throw new ConnectionException("the server at " + endpoint.host() + ":" + endpoint.port()
                        + " is not suitable for target_session_attrs="
                        + target.name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " + mismatch,
                        null, false);
            } catch (PgException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        throw first;
    }

    /**
     * Why this server does not match {@code target}, or null when it does. PostgreSQL 14 and
     * later report {@code in_hot_standby} and {@code default_transaction_read_only} at startup;
     * for older servers the same is asked with SHOW, as libpq does.
     */
    private static String mismatch(PgConnection connection, Session session, ConnectOptions.TargetSessionAttrs target) {
        if (target == ConnectOptions.TargetSessionAttrs.ANY) {
            return null;
        }
        boolean standby = "on".equals(reported(connection, session, "in_hot_standby",
                "SELECT CASE WHEN pg_is_in_recovery() THEN 'on' ELSE 'off' END"));
        boolean readOnly = standby || "on".equals(reported(connection, session, "default_transaction_read_only",
                "SHOW transaction_read_only"));
        return switch (target) {
            case READ_WRITE -> readOnly ? (standby ? "it is a standby" : "it is read-only") : null;
            case READ_ONLY -> readOnly ? null : "it accepts writes";
            case PRIMARY -> standby ? "it is a standby" : null;
            case STANDBY -> standby ? null : "it is not a standby";
            default -> null;
        };
    }

    private static String reported(PgConnection connection, Session session, String parameter, String sqlWhenNotReported) {
        String value = session.parameters().get(parameter);
        return value != null ? value : connection.fetchVal(String.class, sqlWhenNotReported);
    }
}
