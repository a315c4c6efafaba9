package io.pgloom.internal.io;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * TLS over a {@link PlainChannel}: an {@link SSLEngine} driven by straight-line blocking code.
 *
 * <p>There is no event loop: {@link #read} reads ciphertext from the blocking socket until the
 * engine yields plaintext, {@link #write} encrypts and writes until every byte is sent, and the
 * handshake is a loop over the engine's handshake status. On a virtual thread each socket wait
 * parks the thread.
 *
 * <p>Only TLS 1.3 and 1.2 are enabled, as PostgreSQL's default {@code ssl_min_protocol_version}
 * is TLS 1.2. Renegotiation is refused (PostgreSQL never renegotiates); TLS 1.3 post-handshake
 * messages (session tickets, KeyUpdate) are handled inside {@link #read}, which may therefore
 * write a KeyUpdate answer.
 *
 * <p>Reading costs what the plain channel's read costs plus the decryption, nothing more:
 * <ul>
 *   <li>the socket is read through {@link PlainChannel#read}, so a reply, or the next records
 *       of a large one, that come quickly are caught by its short spin instead of parking and
 *       waking the virtual thread (the wake-up costs about as much as a point query);</li>
 *   <li>one socket read takes as many records as have arrived (up to {@link #NET_IN_SIZE}), and
 *       one {@link #read} call decrypts every whole record that is waiting, not one per call;</li>
 *   <li>a record decrypts straight into the caller's buffer whenever its plaintext surely fits
 *       there (its length is in the record header), which for the session's 16 KiB read
 *       buffer is nearly always; only the rest goes through a plaintext buffer of ours.</li>
 * </ul>
 * Writing wraps a whole request into one buffer of records and sends it with one socket write.
 * All buffers are sized from the session once and reused for the channel's life. They are heap
 * buffers on purpose: the JDK's ciphers allocate temporary arrays for direct ones (measured:
 * about 550 more bytes allocated per point query with direct ciphertext buffers), which costs
 * more than the socket's copy through its cached temporary direct buffer.
 *
 * <p>Threading: as {@link PgChannel}, reads and writes come from one thread at a time;
 * {@link #close()} may come from any thread. Writes hold a lock so that a concurrent
 * {@code close()} never interleaves its close_notify with a half-written record.
 */
public final class TlsChannel implements PgChannel {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** A TLS record header: content type, version, length of what follows. */
    private static final int HEADER = 5;
    /**
     * Room for received ciphertext: several full records, so that a large result arrives with
     * one socket read per ~64 KiB rather than one per record.
     */
    static final int NET_IN_SIZE = 64 * 1024;

    private final PlainChannel plain;
    private final SSLEngine engine;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Ciphertext read from the socket and not yet decrypted; kept in write mode (data in [0, position)). */
    private ByteBuffer netIn;
    /** The session's largest record, as the engine counts it; grows only if the engine says so. */
    private int packetSize;
    /** Plaintext decrypted and not yet handed out; kept in read mode (data in [position, limit)). */
    private ByteBuffer appIn;
    /** Ciphertext waiting to be written; filled and drained within one call. */
    private ByteBuffer netOut;
    private boolean peerClosed;

    private TlsChannel(PlainChannel plain, SSLEngine engine) {
        this.plain = plain;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.packetSize = session.getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(NET_IN_SIZE, packetSize));
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
        // Room for a few records, so that a large write costs one socket write per ~64 KiB.
        this.netOut = ByteBuffer.allocate(4 * packetSize);
    }

    /**
     * Runs a TLS client handshake over {@code plain} and returns the encrypted channel.
     *
     * @param peerHost the host name or address the user gave; sent as SNI when it is a DNS
     *        name, and checked against the certificate when {@code verifyHostName}
     * @param verifyHostName check that the certificate names {@code peerHost} (HTTPS rules:
     *        subjectAltName DNS or IP entries)
     * @param alpnProtocol the ALPN protocol to offer and demand ({@code "postgresql"} for
     *        PostgreSQL 17's direct TLS negotiation), or null to offer none
     * @param alreadyRead bytes already read from the socket after the server's 'S' answer; a
     *        server must not send any, and bytes there could have been injected by a man in the
     *        middle (CVE-2021-23222), so anything here is refused. May be null.
     * @throws IOException when the handshake fails (an {@link SSLException} names why: an
     *         untrusted certificate, a host name mismatch, no common protocol, ...); the plain
     *         channel is closed then
     */
    public static TlsChannel handshake(PlainChannel plain, SSLContext context, String peerHost, int peerPort,
                                       boolean verifyHostName, String alpnProtocol, ByteBuffer alreadyRead)
            throws IOException {
        try {
            if (alreadyRead != null && alreadyRead.hasRemaining()) {
                throw new SSLException("the server sent " + alreadyRead.remaining() + " unencrypted bytes after"
                        + " agreeing to TLS; refusing them, as they may have been injected (CVE-2021-23222)");
            }
            SSLEngine engine = context.createSSLEngine(peerHost, peerPort);
            engine.setUseClientMode(true);
            engine.setSSLParameters(parameters(engine, peerHost, verifyHostName, alpnProtocol));
            TlsChannel tls = new TlsChannel(plain, engine);
            tls.runHandshake();
            if (alpnProtocol != null && !alpnProtocol.equals(engine.getApplicationProtocol())) {
                throw new SSLHandshakeException("the server did not agree to ALPN protocol \"" + alpnProtocol
                        + "\" (it chose \"" + engine.getApplicationProtocol() + "\"); direct TLS negotiation needs"
                        + " PostgreSQL 17 or later");
            }
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static SSLParameters parameters(SSLEngine engine, String peerHost, boolean verifyHostName,
                                            String alpnProtocol) {
        SSLParameters p = engine.getSSLParameters();
        String[] supported = engine.getSupportedProtocols();
        p.setProtocols(PROTOCOLS.stream().filter(Arrays.asList(supported)::contains).toArray(String[]::new));
        if (isDnsName(peerHost)) {
            // As libpq's sslsni=1: lets a TLS-terminating proxy route by name. Never for IP literals,
            // which RFC 6066 forbids in SNI.
            p.setServerNames(List.of(new SNIHostName(peerHost)));
        } else {
            p.setServerNames(List.of());
        }
        if (verifyHostName) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (alpnProtocol != null) {
            p.setApplicationProtocols(new String[] {alpnProtocol});
        }
        return p;
    }

    /** True for a host name, false for an IPv4 or IPv6 literal (or anything SNI cannot carry). */
    static boolean isDnsName(String host) {
        if (host == null || host.isEmpty() || host.indexOf(':') >= 0) {
            return false; // IPv6 literals contain colons, host names never do
        }
        boolean allDigitsAndDots = host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (allDigitsAndDots) {
            return false;
        }
        try {
            new SNIHostName(host);
            return true;
        } catch (IllegalArgumentException notAHostName) {
            return false;
        }
    }

    private void runHandshake() throws IOException {
        try {
            runHandshakeSteps();
        } catch (SSLException e) {
            sendPendingAlert();
            throw e;
        }
    }

    /** After a failed handshake step the engine holds an alert for the server; its log then says why. */
    private void sendPendingAlert() {
        try {
            netOut.clear();
            engine.wrap(ByteBuffer.allocate(0), netOut);
            netOut.flip();
            writeFully(netOut);
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the handshake has failed either way.
        }
    }

    private void runHandshakeSteps() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (true) {
            switch (status) {
                case NEED_WRAP -> status = wrapAndFlush(ByteBuffer.allocate(0)).getHandshakeStatus();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = unwrapHandshake();
                    if (r == null) {
                        throw new EOFException("the server closed the connection during the TLS handshake");
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLHandshakeException("the server ended TLS during the handshake");
                    }
                    status = r.getHandshakeStatus();
                }
                case NEED_TASK -> {
                    runDelegatedTasks();
                    status = engine.getHandshakeStatus();
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (true) {
            if (appIn.hasRemaining()) {
                return transfer(appIn, dst);
            }
            if (closed.get()) {
                // Closed here, perhaps by another thread while this one waited: that is a failure,
                // not the server's end of stream, even if the server's close_notify raced in.
                throw new java.nio.channels.AsynchronousCloseException();
            }
            if (peerClosed) {
                return -1;
            }
            if (!readWholeRecord()) {
                // End of stream without close_notify. PostgreSQL's own framing detects a cut
                // message, so treat it as the end rather than a truncation attack.
                peerClosed = true;
                return -1;
            }
            int decrypted = decryptWaitingRecords(dst);
            if (decrypted > 0) {
                return decrypted;
            }
            // Decrypted into appIn, or the records held no data (a TLS 1.3 session ticket).
        }
    }

    @Override
    public boolean nothingArrived() {
        // Decrypted bytes, a whole record, or more ciphertext on the socket: a read returns soon.
        // Part of a record alone is not enough: its rest may still be on its way.
        return !appIn.hasRemaining() && !peerClosed && bytesForWholeRecord() != 0 && plain.nothingArrived();
    }

    /**
     * Decrypts every whole record in {@link #netIn}, in order: into {@code dst} while nothing
     * waits in {@link #appIn} and the record's plaintext surely fits (it is never longer than
     * the record), otherwise into {@link #appIn} while it has room. Returns the bytes put into
     * {@code dst}.
     */
    private int decryptWaitingRecords(ByteBuffer dst) throws IOException {
        int before = dst.position();
        netIn.flip();
        try {
            int length;
            while (!peerClosed && (length = wholeRecordLength(netIn)) >= 0) {
                SSLEngineResult r;
                if (!appIn.hasRemaining() && dst.remaining() >= length) {
                    r = engine.unwrap(netIn, dst);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        // The engine's estimate of the plaintext was larger than ours after all.
                        r = unwrapIntoAppIn();
                    }
                } else if (!appIn.hasRemaining() || appIn.capacity() - appIn.remaining() >= length) {
                    r = unwrapIntoAppIn(); // (grows appIn if a record is larger than it)
                } else {
                    break; // appIn is full enough; the rest waits for the next read
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    peerClosed = true;
                    answerCloseNotify();
                } else {
                    handlePostHandshake(r.getHandshakeStatus());
                }
            }
        } finally {
            netIn.compact();
        }
        return dst.position() - before;
    }

    /** Unwraps one record from {@link #netIn} (in read mode) into {@link #appIn}, growing it if the engine asks. */
    private SSLEngineResult unwrapIntoAppIn() throws IOException {
        while (true) {
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return r;
            }
            int needed = engine.getSession().getApplicationBufferSize() + appIn.remaining();
            appIn = ByteBuffer.allocate(needed).put(appIn).flip();
        }
    }

    /**
     * The length of the first record in {@code buffer} (read mode), header included, when the
     * whole record is there; -1 otherwise.
     */
    private static int wholeRecordLength(ByteBuffer buffer) {
        if (buffer.remaining() < HEADER) {
            return -1;
        }
        int p = buffer.position();
        int length = HEADER + (((buffer.get(p + 3) & 0xFF) << 8) | (buffer.get(p + 4) & 0xFF));
        return buffer.remaining() >= length ? length : -1;
    }

    /**
     * Reads the socket until {@link #netIn} holds at least one whole record, taking whatever
     * else has arrived too. Returns false at end of stream.
     */
    private boolean readWholeRecord() throws IOException {
        while (true) {
            int needed = bytesForWholeRecord();
            if (needed == 0) {
                return true;
            }
            if (netIn.capacity() < needed) {
                // A record longer than the session said (TLS 1.2 allows 2^14 + 2048 of ciphertext).
                netIn = ByteBuffer.allocate(needed).put(netIn.flip());
            }
            if (plain.read(netIn) < 0) {
                return false;
            }
        }
    }

    /** How many bytes {@link #netIn} must hold for its first record to be whole; 0 when it is. */
    private int bytesForWholeRecord() {
        int have = netIn.position();
        if (have < HEADER) {
            return HEADER;
        }
        int length = HEADER + (((netIn.get(3) & 0xFF) << 8) | (netIn.get(4) & 0xFF));
        return have >= length ? 0 : length;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            if (closed.get()) {
                throw new SSLException("the TLS channel is closed");
            }
            while (src.hasRemaining()) {
                netOut.clear();
                // Wrap several records before one socket write: fewer system calls for big writes.
                while (src.hasRemaining() && netOut.remaining() >= packetSize) {
                    SSLEngineResult r = engine.wrap(src, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS is closed; cannot send");
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        // The session's record size grew: send what is wrapped, then use a bigger buffer.
                        if (netOut.position() == 0) {
                            growNetOut();
                        }
                        break;
                    }
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                }
                netOut.flip();
                writeFully(netOut);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean isTls() {
        return true;
    }

    /**
     * Sends close_notify when no write is in progress, then closes the socket. A write in
     * progress (possibly stalled on a peer that does not read) is not waited for: the socket
     * is closed under it, which makes it fail at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (writeLock.tryLock()) {
                try {
                    engine.closeOutbound();
                    netOut.clear();
                    engine.wrap(ByteBuffer.allocate(0), netOut);
                    netOut.flip();
                    writeFully(netOut);
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // close_notify is a courtesy; the peer may be gone already.
        } finally {
            plain.close();
        }
    }

    /** The negotiated session: protocol, cipher suite and the server's certificates. */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * The {@code tls-server-end-point} channel-binding data of RFC 5929: a hash of the server's
     * leaf certificate, or null when the certificate's signature algorithm names no hash (see
     * {@link TlsEndPoint#hash}).
     *
     * @throws SSLException when the server sent no X.509 certificate
     */
    public byte[] tlsServerEndPointHash() throws SSLException {
        return TlsEndPoint.hash(engine.getSession());
    }

    /**
     * One handshake step: unwraps one record into {@link #appIn} (where nothing is expected),
     * reading the socket first if no whole record is waiting; null when the socket ended first.
     */
    private SSLEngineResult unwrapHandshake() throws IOException {
        if (!readWholeRecord()) {
            return null;
        }
        netIn.flip();
        try {
            return unwrapIntoAppIn();
        } finally {
            netIn.compact();
        }
    }

    /** After the handshake, the peer may send TLS 1.3 tickets or a KeyUpdate, never a renegotiation. */
    private void handlePostHandshake(HandshakeStatus status) throws IOException {
        while (true) {
            switch (status) {
                case NEED_TASK -> {
                    runDelegatedTasks();
                    status = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    refuseRenegotiation();
                    writeLock.lock();
                    try {
                        status = wrapAndFlush(ByteBuffer.allocate(0)).getHandshakeStatus();
                    } finally {
                        writeLock.unlock();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    // A handshake started by the peer; the next unwrap continues it, if allowed.
                    refuseRenegotiation();
                    return;
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    private void refuseRenegotiation() throws SSLException {
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            throw new SSLException("the server started a TLS renegotiation, which pgloom does not support"
                    + " (PostgreSQL never renegotiates: is something between client and server?)");
        }
    }

    private SSLEngineResult wrapAndFlush(ByteBuffer src) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                growNetOut();
                continue;
            }
            netOut.flip();
            writeFully(netOut);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                throw new SSLException("TLS closed during the handshake");
            }
            return r;
        }
    }

    /** Answers the peer's close_notify with ours, as TLS asks; best effort. */
    private void answerCloseNotify() {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            engine.closeOutbound();
            netOut.clear();
            engine.wrap(ByteBuffer.allocate(0), netOut);
            netOut.flip();
            writeFully(netOut);
        } catch (IOException | RuntimeException ignored) {
            // The peer has closed; it may not read our answer.
        } finally {
            writeLock.unlock();
        }
    }

    private void growNetOut() {
        packetSize = engine.getSession().getPacketBufferSize();
        netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, 4 * packetSize));
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        plain.write(buffer);
    }

    private void runDelegatedTasks() {
        // Certificate checks and key exchange; cheap enough to run on the connecting thread.
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static int transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        if (n == from.remaining()) {
            to.put(from);
        } else {
            int limit = from.limit();
            from.limit(from.position() + n);
            to.put(from);
            from.limit(limit);
        }
        return n;
    }
}
