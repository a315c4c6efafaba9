package io.pgloom.internal.session;

import io.pgloom.ConnectOptions;
import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import io.pgloom.internal.auth.Md5Password;
import io.pgloom.internal.auth.RequireAuth;
import io.pgloom.internal.auth.ScramClient;
import io.pgloom.internal.io.PgChannel;
import io.pgloom.internal.io.PlainChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.TlsChannel;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.Authentication;
import io.pgloom.internal.wire.BackendKeyData;
import io.pgloom.internal.wire.BackendMessage;
import io.pgloom.internal.wire.ErrorResponse;
import io.pgloom.internal.wire.NegotiateProtocolVersion;
import io.pgloom.internal.wire.NoticeResponse;
import io.pgloom.internal.wire.NotificationResponse;
import io.pgloom.internal.wire.ParameterStatus;
import io.pgloom.internal.wire.PasswordMessage;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.SASLInitialResponse;
import io.pgloom.internal.wire.SASLResponse;
import io.pgloom.internal.wire.SSLRequest;
import io.pgloom.internal.wire.StartupMessage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The start of a session, read top to bottom as the protocol runs: connect, negotiate TLS,
 * send StartupMessage, authenticate, collect ParameterStatus and BackendKeyData until the first
 * ReadyForQuery.
 */
final class Startup {

    private static final System.Logger LOG = System.getLogger("io.pgloom.session");

    /** The ALPN protocol a server checks under sslnegotiation=direct. */
    private static final String ALPN = "postgresql";

    private final ConnectOptions options;
    private final ConnectOptions.Endpoint endpoint;
    private final Supplier<SSLContext> sslContext;
    private final boolean verifyHostName;
    private final AsyncMessages async;
    private final ReadBuffer in;
    private final WriteBuffer out;
    private volatile PgChannel channel;
    private volatile boolean aborted;
    private boolean finished;
    /** Whether the server asked for any authentication (require_auth's "none" is a server that did not). */
    private boolean authAsked;
    private final java.util.concurrent.locks.ReentrantLock abortLock = new java.util.concurrent.locks.ReentrantLock();

    private final long deadlineNanos;
    /** The address the TCP connection reached, for the cancel request; null over a Unix socket. */
    private volatile InetSocketAddress connectedTo;

    /**
     * The protocol minor version asked for: 3.2 (PostgreSQL 18: 32-byte cancel keys), except
     * through a transaction pooler, which may not know it; {@link #minor} is what was agreed.
     */
    private int requestedMinor;
    private int minor;
    /** Whether the server got past the StartupMessage: it asked for a password or said Ok. */
    private boolean authenticationStarted;

    Startup(ConnectOptions options, ConnectOptions.Endpoint endpoint, Supplier<SSLContext> sslContext,
            boolean verifyHostName, AsyncMessages async, ReadBuffer in, WriteBuffer out) {
        Duration timeout = options.connectTimeout();
        this.deadlineNanos = timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
        this.requestedMinor = options.transactionPooler() ? 0 : StartupMessage.NEWEST_MINOR;
        this.minor = requestedMinor;
        this.options = options;
        this.endpoint = endpoint;
        this.sslContext = sslContext;
        this.verifyHostName = verifyHostName;
        this.async = async;
        this.in = in;
        this.out = out;
    }

    /** The outcome: the channel in use, the backend's key, and its reported parameters. */
    record Result(PgChannel channel, BackendKeyData key, Map<String, String> parameters, byte transactionStatus,
                  int protocolMinorVersion) {
    }

    /**
     * Runs the whole start; on failure closes what it opened. A peer that refuses the 3.2
     * StartupMessage outright with a protocol violation, instead of answering
     * NegotiateProtocolVersion as every supported PostgreSQL does, is a pooler that predates 3.2
     * (PgBouncer before 1.22 answers "bad packet header"): the start is tried once more with 3.0.
     */
    Result run() throws IOException {
        try {
            return runWithTlsFallback();
        } catch (PgException e) {
            if (requestedMinor > 0 && !authenticationStarted && "08P01".equals(e.sqlState())) {
                LOG.log(System.Logger.Level.DEBUG, "the server at {0} refused protocol 3.{1} ({2}); retrying with 3.0",
                        describe(), requestedMinor, e.getMessage());
                requestedMinor = 0;
                return runWithTlsFallback();
            }
            throw e;
        }
    }

    /** With sslmode=allow a plain attempt that the server refuses is retried once over TLS, as libpq does. */
    private Result runWithTlsFallback() throws IOException {
        SslMode mode = options.sslMode();
        try {
            return attempt(mode != SslMode.DISABLE && mode != SslMode.ALLOW);
        } catch (PgException e) {
            if (mode == SslMode.ALLOW && e.isServerError() && channel != null && !channel.isTls()) {
                LOG.log(System.Logger.Level.DEBUG, "plain connection refused under sslmode=allow; retrying with TLS", e);
                return attempt(true);
            }
            throw e;
        }
    }

    private Result attempt(boolean tryTls) throws IOException {
        channel = null;
        minor = requestedMinor;
        authenticationStarted = false;
        try {
            channel = openPlain();
            if (tryTls) {
                registered(negotiateTls((PlainChannel) channel));
            }
            sendStartup();
            authenticate();
            return awaitReady();
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    /**
     * Connects to the first address of the host that answers, as libpq tries each address a
     * name resolves to ("localhost" may be ::1 or 127.0.0.1).
     */
    private PgChannel openPlain() throws IOException {
        if (endpoint.isUnixSocket()) {
            return registered(PlainChannel.connectUnix(endpoint.host(), endpoint.port()));
        }
        IOException last = null;
        for (InetAddress address : InetAddress.getAllByName(endpoint.connectTo())) {
            if (aborted) {
                break;
            }
            try {
                InetSocketAddress socketAddress = new InetSocketAddress(address, endpoint.port());
                PgChannel plain = registered(PlainChannel.connectTcp(socketAddress, remainingMillis()));
                connectedTo = socketAddress;
                return plain;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("connect timeout");
    }

    private PgChannel registered(PgChannel c) {
        channel = c;
        if (aborted) {
            c.close();
        }
        return c;
    }

    private int remainingMillis() {
        if (deadlineNanos == 0) {
            return 0;
        }
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    }

    /** Stops the start from another thread (the connect timeout): closes whatever channel is open. */
    void abort() {
        abortLock.lock();
        try {
            if (finished) {
                return;
            }
            aborted = true;
            PgChannel c = channel;
            if (c != null) {
                c.close();
            }
        } finally {
            abortLock.unlock();
        }
    }

    /** Marks the start as done, so that a late abort() does nothing; true if one came first. */
    boolean finish() {
        abortLock.lock();
        try {
            finished = true;
            return aborted;
        } finally {
            abortLock.unlock();
        }
    }

    /** Where and how a CancelRequest for this session goes: the same address, TLS when the session has it. */
    CancelRequests.Target cancelTarget(PgChannel started) {
        CancelRequests.Tls tls = started.isTls() ? new CancelRequests.Tls(sslContext, verifyHostName,
                options.sslNegotiation() == ConnectOptions.SslNegotiation.DIRECT) : null;
        return new CancelRequests.Target(endpoint, endpoint.isUnixSocket() ? null : connectedTo, tls,
                options.connectTimeout());
    }

    boolean wasAborted() {
        return aborted;
    }

    private PgChannel negotiateTls(PlainChannel plain) throws IOException {
        SslMode mode = options.sslMode();
        boolean direct = options.sslNegotiation() == ConnectOptions.SslNegotiation.DIRECT;
        if (!direct) {
            new SSLRequest().encode(out);
            flush(plain);
            int answer = in.readSingleByte(plain);
            if (answer == 'N') {
                if (mode == SslMode.PREFER) {
                    return plain;
                }
                throw new ConnectionException("the server at " + describe() + " does not accept TLS, but sslmode="
                        + libpqName(mode) + " requires it", null, false);
            }
            if (answer == 'E') {
                // Servers before 7.x-era semantics answer an error message here; treat as no TLS.
                throw new ConnectionException("the server at " + describe() + " answered the SSLRequest with an error",
                        null, false);
            }
            if (answer != 'S') {
                throw new ConnectionException("the server at " + describe() + " answered the SSLRequest with byte "
                        + answer + ", not 'S' or 'N': is this a PostgreSQL server?", null, false);
            }
            if (in.bufferedBeyondMessage() != 0) {
                // Bytes sent before the handshake could be injected by a man in the middle (CVE-2021-23222).
                throw new ConnectionException("the server sent unencrypted data after agreeing to TLS; refusing it",
                        null, false);
            }
        }
        return TlsChannel.handshake(plain, sslContext.get(), endpoint.host(), endpoint.port(), verifyHostName,
                direct ? ALPN : null, null);
    }

    private void sendStartup() throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", options.user());
        params.put("database", options.database());
        params.put("client_encoding", "UTF8");
        params.put("DateStyle", "ISO");
        if (options.applicationName() != null) {
            params.put("application_name", options.applicationName());
        }
        if (options.options() != null && !options.options().isEmpty()) {
            params.put("options", options.options());
        }
        for (Map.Entry<String, String> s : options.serverSettings().entrySet()) {
            params.put(s.getKey(), s.getValue());
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getKey().indexOf('\0') >= 0 || p.getValue().indexOf('\0') >= 0) {
                throw new PgException("startup parameter " + p.getKey() + " contains a NUL character");
            }
        }
        new StartupMessage(StartupMessage.PROTOCOL_3_0 | requestedMinor, params).encode(out);
        flush(channel);
    }

    private void authenticate() throws IOException {
        ScramClient scram = null;
        boolean channelBound = false;
        boolean scramVerified = false;
        RequireAuth required = RequireAuth.parse(options.requireAuth());
        authAsked = false;
        while (true) {
            BackendMessage m = BackendMessage.read(channel, in);
            if (m instanceof Authentication) {
                authenticationStarted = true;
            }
            switch (m) {
                case Authentication.Ok ok -> {
                    if (scram != null && !scramVerified) {
                        // A server that knows the password proves it in SASLFinal; an impostor skips it.
                        throw new ConnectionException("the server at " + describe() + " ended SCRAM authentication"
                                + " without proving it knows the password (no SASLFinal); refusing it", null, false);
                    }
                    if (scram == null && !authAsked) {
                        require(required, RequireAuth.Method.NONE);
                    }
                    if (options.channelBinding() == ConnectOptions.ChannelBinding.REQUIRE && !channelBound) {
                        throw new ConnectionException("channel_binding=require, but the server at " + describe()
                                + " authenticated without SCRAM channel binding", null, false);
                    }
                    return;
                }
                case Authentication.CleartextPassword p -> {
                    authAsked = true;
                    require(required, RequireAuth.Method.PASSWORD);
                    refuseWithoutBinding("password");
                    new PasswordMessage(requirePassword("password")).encode(out);
                    flush(channel);
                }
                case Authentication.Md5Password md5 -> {
                    authAsked = true;
                    require(required, RequireAuth.Method.MD5);
                    refuseWithoutBinding("md5");
                    new PasswordMessage(Md5Password.hash(options.user(), requirePassword("md5"), md5.salt())).encode(out);
                    flush(channel);
                }
                case Authentication.Sasl sasl -> {
                    authAsked = true;
                    require(required, RequireAuth.Method.SCRAM_SHA_256);
                    byte[] endPointHash = channel instanceof TlsChannel tls ? tls.tlsServerEndPointHash() : null;
                    try {
                        scram = ScramClient.create(sasl.mechanisms(), requirePassword("SCRAM-SHA-256"),
                                options.channelBinding(), endPointHash);
                    } catch (ConnectionException e) {
                        throw e;
                    } catch (PgException e) {
                        throw new ConnectionException(e.getMessage(), e, false);
                    }
                    channelBound = scram.mechanism().endsWith("-PLUS");
                    new SASLInitialResponse(scram.mechanism(), scram.clientFirstMessage()).encode(out);
                    flush(channel);
                }
                case Authentication.SaslContinue cont -> {
                    if (scram == null) {
                        throw new ConnectionException("the server sent SASLContinue before SASL started");
                    }
                    new SASLResponse(scram.clientFinalMessage(cont.data(), options.scramMaxIterations())).encode(out);
                    flush(channel);
                }
                case Authentication.SaslFinal fin -> {
                    if (scram == null) {
                        throw new ConnectionException("the server sent SASLFinal before SASL started");
                    }
                    scram.verifyServerFinal(fin.data());
                    scramVerified = true;
                }
                case Authentication.Unsupported u -> throw new ConnectionException("the server at " + describe()
                        + " asks for " + u.methodName() + " authentication, which pgloom does not support;"
                        + " use scram-sha-256, md5, password or cert in pg_hba.conf", null, false);
                case ErrorResponse e -> throw ServerErrors.fromStartupFields(e.fields());
                case NegotiateProtocolVersion v -> negotiated(v);
                case NoticeResponse n -> async.notice(n);
                default -> throw new ConnectionException("unexpected " + m.getClass().getSimpleName()
                        + " during authentication");
            }
        }
    }

    private Result awaitReady() throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        BackendKeyData key = null;
        while (true) {
            BackendMessage m = BackendMessage.read(channel, in);
            switch (m) {
                case ParameterStatus s -> {
                    parameters.put(s.name(), s.value());
                    async.parameterStatus(s);
                }
                case BackendKeyData k -> key = k;
                case ReadyForQuery r -> {
                    return new Result(channel, key, parameters, r.status(), minor);
                }
                case NegotiateProtocolVersion v -> negotiated(v);
                case ErrorResponse e -> throw ServerErrors.fromStartupFields(e.fields());
                case NoticeResponse n -> async.notice(n);
                case NotificationResponse n -> async.notification(n);
                default -> throw new ConnectionException("unexpected " + m.getClass().getSimpleName()
                        + " before the first ReadyForQuery");
            }
        }
    }

    private void require(RequireAuth required, RequireAuth.Method method) {
        try {
            required.check(method, describe());
        } catch (PgException e) {
            throw new ConnectionException(e.getMessage(), null, false);
        }
    }

    /**
     * The server speaks an older minor version than we asked for (PostgreSQL 17 and older answer
     * 3.2 with 3.0): we speak that one, as libpq does. A server may only go down, never up.
     */
    private void negotiated(NegotiateProtocolVersion v) {
        // PostgreSQL sends the whole version (3 << 16 | minor), though the field is named a minor
        int offered = v.newestMinorVersion() & 0xFFFF;
        if (offered < 0 || offered > requestedMinor) {
            throw new ConnectionException("the server at " + describe() + " offered protocol 3." + offered
                    + " after we asked for 3." + requestedMinor, null, false);
        }
        LOG.log(System.Logger.Level.DEBUG, "server at {0} speaks protocol 3.{1}; unrecognized options {2}",
                describe(), offered, v.unrecognizedOptions());
        minor = offered;
    }

    private void refuseWithoutBinding(String method) {
        if (options.channelBinding() == ConnectOptions.ChannelBinding.REQUIRE) {
            throw new ConnectionException("channel_binding=require, but the server at " + describe() + " asks for "
                    + method + " authentication, which has no channel binding", null, false);
        }
    }

    private String requirePassword(String method) {
        String password = options.password();
        if (password == null) {
            throw new ConnectionException("the server at " + describe() + " asks user \"" + options.user()
                    + "\" for a password (" + method + " authentication), but none was given: set it in the URI,"
                    + " PGPASSWORD or the password file (~/.pgpass)", null, false);
        }
        return password;
    }

    private void flush(PgChannel ch) throws IOException {
        ByteBuffer b = out.flip();
        out.reset();
        ch.write(b);
    }

    private String describe() {
        return endpoint.isUnixSocket() ? endpoint.host() + "/.s.PGSQL." + endpoint.port()
                : endpoint.host() + ":" + endpoint.port();
    }

    private static String libpqName(SslMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
