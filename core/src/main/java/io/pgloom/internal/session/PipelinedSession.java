package io.pgloom.internal.session;

import io.pgloom.ConnectionException;
import io.pgloom.PgException;
import io.pgloom.PgTimeoutException;
import io.pgloom.QueryCanceledException;
import io.pgloom.internal.io.PgChannel;
import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.wire.BackendMessage;
import io.pgloom.internal.wire.Close;
import io.pgloom.internal.wire.ErrorResponse;
import io.pgloom.internal.wire.ReadyForQuery;
import io.pgloom.internal.wire.Sync;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Session} shared by many calling threads at once: each caller's request (its own
 * Parse/Describe, Bind, Execute and Sync) is appended to the outgoing stream, requests that
 * arrive while a write is under way go out together in the next write, and the replies are
 * matched, in order, to the callers waiting for them.
 *
 * <h2>Who touches the socket</h2>
 * Two threads of the session's own: a <em>writer</em> that writes whatever callers have
 * queued (one write for everything queued meanwhile), and a <em>reader</em> that reads replies
 * and hands each one to the request at the head of the line. Callers only encode their request
 * into the queue under a lock and park until their reply is complete. So a caller that is
 * interrupted or times out never touches the channel (an interrupt during a channel operation
 * would close it under everybody), and a large request can never stall against its own replies.
 *
 * <h2>Isolation</h2>
 * Every request has its own Sync, so a server error ends that request only, with one exception
 * made for speed: plain reads queued together (see {@link Request#shareSync}) share one Sync, so
 * the server commits them as one implicit transaction and flushes its replies once. A Sync per
 * statement costs the server about as much as the point select itself. Their results are held
 * until that shared commit. When any of them fails (or the commit does), the server rolled the
 * others back or skipped them, so each of those is sent again with a Sync of its own: one
 * caller's error still fails no other caller's request, and nothing another caller's statement
 * did is lost or done twice. A request whose
 * caller stopped waiting (timeout or interrupt) is <em>abandoned</em>: if it was not written yet
 * its bytes are cut out of the queue and it never reaches the server; otherwise its reply is read
 * and thrown away when it comes. A CancelRequest is sent only for a timed-out request that is at
 * the head of the line, i.e. the one the server is running. Because a cancel can still arrive
 * just after that request ended, a later request that fails with 57014 within two seconds of such a cancel,
 * and was not itself canceled, is sent again once: in autocommit a canceled
 * statement was rolled back, so running it again cannot run it twice. A connection that breaks
 * fails exactly the requests queued on it, each saying whether it may have reached the server.
 *
 * <p>Thread-safe. While any request is queued the session serves nothing else: the client layer
 * keeps its own one-operation-at-a-time methods out (see {@link #isActive()}).
 */
public final class PipelinedSession {

    private static final System.Logger LOG = System.getLogger("io.pgloom.session");

    /** How long a request may take to end after its cancel before the connection is closed instead. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

    private final Session session;
    private final PgChannel channel;
    private final ReadBuffer in;
    private final ReentrantLock exclusive;
    private final java.util.function.BooleanSupplier heldElsewhere;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private WriteBuffer queued = new WriteBuffer(8 * 1024);
    private WriteBuffer writing = new WriteBuffer(8 * 1024);
    /** Encoded but not yet handed to the writer, in stream order. */
    private final ArrayDeque<Request> unsent = new ArrayDeque<>();
    /** Handed to the writer (so maybe on the server), replies not complete yet, in stream order. */
    private final ArrayDeque<Request> sent = new ArrayDeque<>();
    private final List<String> pendingCloses = new ArrayList<>();
    private Thread writer;
    private Thread reader;
    /** Whether plain reads queued together share one Sync; see {@link Request#shareSync}. */
    private final boolean groupReads;
    /** The group of reads still taking members, whose Sync is not queued yet; null when none is. */
    private GroupEnd openGroup;
    /** Group Syncs in {@link #unsent} and {@link #sent}: not requests anybody waits for. */
    private int groupEnds;
    /**
     * True while anything is in {@link #unsent} or {@link #sent}, for {@link #isActive()} to read
     * without the lock: the connection's exclusive path asks on every request, and taking this
     * lock there contended with the reader and writer (1.2% of W7's samples went to waking them).
     * Set under the exclusive lock when a request takes the stream from idle, so an exclusive
     * request that holds that lock sees it; cleared under this lock by whatever empties both.
     */
    private volatile boolean active;

    /** The most reads under one Sync: a whole pipeline of the pool's default depth. */
    static final int MAX_GROUP = 64;
    private ConnectionException broken;
    private long nextSeq;
    /** When the last CancelRequest went out (0: never): one arriving late may hit a later request. */
    private long lastCancelNanos;

    /** How long after a cancel a 57014 on a request nobody canceled is taken for that cancel's stray hit. */
    private static final long STRAY_CANCEL_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How often one request is sent again after stray cancels (each is another caller's timeout). */
    private static final int MAX_RESENDS = 8;

    /**
     * @param exclusive the lock of the connection's one-operation-at-a-time methods: taken briefly
     *        when the first request starts, so that a request and an exclusive operation can
     *        never share the stream
     * @param heldElsewhere true while the connection is held between operations (an open cursor
     *        or transaction block), when no request may start either
     */
    public PipelinedSession(Session session, ReentrantLock exclusive, java.util.function.BooleanSupplier heldElsewhere,
                            boolean groupReads) {
        this.groupReads = groupReads;
        this.heldElsewhere = heldElsewhere;
        this.session = session;
        this.channel = session.channel();
        this.in = session.readBuffer();
        this.exclusive = exclusive;
    }

    /** True while a request is queued or its replies are being read. */
    public boolean isActive() {
        return active;
    }

    /** Clears {@link #active} when nothing is queued or in flight any more; the lock is held. */
    private void noteIfIdle() {
        if (unsent.isEmpty() && sent.isEmpty()) {
            active = false;
        }
    }

    /** Requests queued or in flight, for a pool that sends new ones where there are fewest. */
    public int inFlight() {
        lock.lock();
        try {
            return unsent.size() + sent.size() - groupEnds;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the reader and writer threads for good. Requests in flight fail, their connection
     * closed under them; returns whether there were any (then the session was aborted).
     */
    public boolean shutdown(String reason) {
        lock.lock();
        try {
            if (!unsent.isEmpty() || !sent.isEmpty()) {
                breakConnection(reason, null);
                return true;
            }
            if (broken == null) {
                broken = new ConnectionException("the connection is closed", null, false);
            }
            work.signalAll();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a Close of a statement, written in front of the next request. */
    public void closeStatementLater(String name) {
        lock.lock();
        try {
            pendingCloses.add(name);
        } finally {
            lock.unlock();
        }
    }

    // ---- a request's life ----

    /**
     * Queues {@code request}, waits for its replies up to {@code timeout} (zero: no limit) and
     * returns; its results are in the request. Throws the server's error for it, a
     * {@link QueryCanceledException} when it was canceled on the server after its timeout, a
     * {@link PgTimeoutException} when it timed out before the server started it, or a
     * {@link ConnectionException} when the connection broke.
     */
    public void run(Request request, Duration timeout) {
        if (Thread.currentThread().isInterrupted()) {
            throw new PgException("the calling thread is interrupted; not starting the query");
        }
        long deadline = timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
        enqueue(request);
        await(request, deadline, timeout);
    }

    private void enqueue(Request request) {
        lock.lock();
        try {
            if (broken != null) {
                throw new ConnectionException(broken.getMessage(), broken, false);
            }
            if (unsent.isEmpty() && sent.isEmpty()) {
                activate();
                String reset = session.takePrelude();
                if (reset != null) {
                    // The reset the last borrower's changes queued rides in front, in the same
                    // write; if it fails, its ReadyForQuery says so and the connection is closed
                    // before anything runs in a half-reset session.
                    Request prelude = new PipelinedRequests.SimpleQuery(reset);
                    prelude.done = lock.newCondition();
                    prelude.abandoned = true;
                    encode(prelude);
                    prelude.seq = nextSeq++;
                    unsent.addLast(prelude);
                }
            }
            if (request.done == null) {
                request.done = lock.newCondition();
            }
            if (groupReads && request.sharesSync && pendingCloses.isEmpty()) {
                // A Close in front would be skipped if the group failed before it: such a request goes alone.
                if (openGroup == null || openGroup.members.size() >= MAX_GROUP) {
                    closeGroup();
                    openGroup = new GroupEnd();
                }
                request.group = openGroup;
                try {
                    encode(request);
                } catch (RuntimeException e) {
                    request.group = null;
                    throw e;
                }
                openGroup.members.add(request);
            } else {
                closeGroup();
                encode(request);
            }
            request.seq = nextSeq++;
            unsent.addLast(request);
            work.signalAll();
        } finally {
            noteIfIdle(); // a request that failed to encode leaves nothing queued
            lock.unlock();
        }
    }

    /** Queues the open group's Sync, so that nothing else can land under it; the lock is held. */
    private void closeGroup() {
        GroupEnd end = openGroup;
        if (end == null) {
            return;
        }
        openGroup = null;
        if (end.members.isEmpty()) {
            return; // its members were abandoned before it was sent
        }
        end.done = lock.newCondition();
        end.start = queued.position();
        Sync.encode(queued);
        end.end = queued.position();
        end.state = Request.UNSENT;
        end.seq = nextSeq++;
        unsent.addLast(end);
        groupEnds++;
    }

    /** The request whose reply the server is producing now: the first in line not yet ended; null when none. */
    private Request running() {
        Request head = sent.peekFirst();
        return head instanceof GroupEnd ? null : head;
    }

    /** Takes the stream from idle: refuses while an exclusive operation holds the connection. */
    private void activate() {
        if (!exclusive.tryLock()) {
            throw new PgException("connection busy: another thread is running an operation on it;"
                    + " pipelined requests wait until it ends (use a pool to share)");
        }
        try {
            if (heldElsewhere.getAsBoolean() || session.transactionStatus() != 'I') {
                throw new PgException("connection busy: a cursor or a transaction block is open on it;"
                        + " pipelined requests run only on a connection nobody holds");
            }
            if (!session.isUsable()) {
                throw new ConnectionException("the connection is " + (session.brokenReason() != null
                        ? "broken: " + session.brokenReason() : "not usable"), null, false);
            }
            if (reader == null) {
                // Platform threads: a virtual reader's read spins on the socket before it parks,
                // which pays for one caller's latency but, on a reader that is always waiting,
                // only burns a carrier the callers need; and neither then competes with the
                // callers' virtual threads for carriers (or pins one on the JDK's first use of
                // its socket poller).
                reader = Thread.ofPlatform().daemon().name("pgloom-reader-" + session.processId()).start(this::readLoop);
                writer = Thread.ofPlatform().daemon().name("pgloom-writer-" + session.processId()).start(this::writeLoop);
            }
            active = true; // before the exclusive lock is let go: a request that takes it next sees this
        } finally {
            exclusive.unlock();
        }
    }

    /** Appends the request's messages (after any pending Closes); on failure nothing is queued. */
    private void encode(Request request) {
        int mark = queued.position();
        try {
            for (String name : pendingCloses) {
                Close.statement(name).encode(queued);
            }
            request.encode(queued);
        } catch (RuntimeException e) {
            queued.truncate(mark);
            if (e instanceof WriteBuffer.MessageTooLargeException tooLarge) {
                throw new PgException("the request was not sent: " + tooLarge.getMessage(), tooLarge);
            }
            throw e;
        }
        pendingCloses.clear();
        request.start = mark;
        request.end = queued.position();
        request.state = Request.UNSENT;
    }

    private void await(Request request, long deadline, Duration timeout) {
        lock.lock();
        try {
            boolean canceled = false;
            while (request.state != Request.DONE) {
                try {
                    if (deadline == 0) {
                        request.done().await();
                        continue;
                    }
                    long left = deadline - System.nanoTime();
                    if (left > 0) {
                        request.done().awaitNanos(left);
                        continue;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw abandon(request, "the calling thread was interrupted while waiting for the reply", false);
                }
                if (canceled) {
                    // Even the cancel did not end it: the stream may never come back.
                    breakConnection("no reply within " + timeout.plus(CANCEL_GRACE).toMillis()
                            + " ms, even after a cancel request (command timeout " + timeout.toMillis() + " ms)", null);
                    continue;
                }
                if (request.state == Request.UNSENT || running() != request) {
                    throw abandon(request, "timed out after " + timeout.toMillis() + " ms before the server started it", true);
                }
                // The server is running it: cancel it there, and wait for its reply.
                canceled = true;
                request.canceled = true;
                deadline = System.nanoTime() + CANCEL_GRACE.toNanos();
                sendCancel();
            }
            if (request.failure != null) {
                throw request.failure;
            }
            if (request.error != null) {
                if (request.canceled && request.error instanceof QueryCanceledException q) {
                    QueryCanceledException timedOut = new QueryCanceledException(q.fields());
                    timedOut.addSuppressed(new PgException("canceled by pgloom after the command timeout of "
                            + timeout.toMillis() + " ms"));
                    throw timedOut;
                }
                throw request.error;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The caller stops waiting. Unsent, the request is cut out of the queue and never reaches the
     * server; sent, its reply will be read and dropped.
     */
    private PgException abandon(Request request, String why, boolean timedOut) {
        if (request.state == Request.UNSENT) {
            queued.cut(request.start, request.end);
            int length = request.end - request.start;
            boolean after = false;
            for (var it = unsent.iterator(); it.hasNext(); ) {
                Request r = it.next();
                if (r == request) {
                    it.remove();
                    after = true;
                } else if (after) {
                    r.start -= length;
                    r.end -= length;
                }
            }
            if (request.group != null) {
                request.group.members.remove(request);
                request.group = null;
            }
            request.state = Request.DONE;
            request.abandoned = true;
            request.abandoned();
            noteIfIdle();
            return stoppedWaiting(why + "; it was not sent", timedOut);
        }
        request.abandoned = true;
        request.abandoned();
        return stoppedWaiting(why + "; it was already sent, so it may still run; its reply will be discarded", timedOut);
    }

    private static PgException stoppedWaiting(String message, boolean timedOut) {
        return timedOut ? new PgTimeoutException(message) : new PgException(message);
    }

    private void sendCancel() {
        lastCancelNanos = System.nanoTime() | 1;
        var key = session.backendKey();
        Timers.runBlocking("pgloom-cancel", () -> {
            CancelRequests.send(session.endpoint(), key);
            lock.lock();
            try {
                lastCancelNanos = System.nanoTime() | 1; // the window runs from its delivery
            } finally {
                lock.unlock();
            }
        });
    }

    // ---- the writer ----

    private void writeLoop() {
        lock.lock();
        try {
            while (true) {
                while (broken == null && unsent.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (broken != null) {
                    return;
                }
                closeGroup();
                WriteBuffer batch = queued;
                queued = writing;
                writing = batch;
                sent.addAll(unsent);
                for (Request r : unsent) {
                    r.state = Request.SENT;
                }
                unsent.clear();
                work.signalAll(); // the reader may be waiting for something to read
                lock.unlock();
                try {
                    channel.write(batch.flip());
                } catch (IOException | RuntimeException e) {
                    lock.lock();
                    breakConnection("writing pipelined requests failed: " + e.getMessage(), e);
                    return;
                } finally {
                    batch.reset();
                }
                lock.lock();
            }
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    // ---- the reader ----

    private void readLoop() {
        Request current = null;
        try {
            while (true) {
                if (current == null) {
                    lock.lock();
                    try {
                        while (broken == null && sent.isEmpty()) {
                            work.awaitUninterruptibly();
                        }
                        if (broken != null) {
                            return;
                        }
                        current = sent.peekFirst();
                    } finally {
                        lock.unlock();
                    }
                }
                BackendMessage m = BackendMessage.read(channel, in);
                switch (m) {
                    case ReadyForQuery r -> {
                        if (current instanceof GroupEnd end) {
                            finishGroup(end, r);
                        } else if (current.group != null) {
                            finishGroup(current.group, r); // current and the rest of its group were skipped
                        } else {
                            complete(current, r);
                        }
                        current = null;
                    }
                    case ErrorResponse e -> {
                        PgException error = ServerErrors.fromFields(e.fields());
                        if (e.isFatal()) {
                            throw new FatalError(error);
                        }
                        if (current.error == null) {
                            current.error = error;
                        }
                        if (current.group != null) {
                            // The server skips the rest of the group up to its Sync.
                            current = ended(current);
                        }
                    }
                    default -> {
                        if (!current.reply(m)) {
                            session.asyncMessage(m, "a pipelined request");
                        } else if (current.group != null && (m instanceof io.pgloom.internal.wire.CommandComplete
                                || m instanceof io.pgloom.internal.wire.PortalSuspended
                                || m instanceof io.pgloom.internal.wire.EmptyQueryResponse)) {
                            current = ended(current);
                        }
                    }
                }
            }
        } catch (FatalError fatal) {
            lock.lock();
            try {
                failAll(fatal.error, "the server ended the session: " + fatal.error.getMessage(), null);
            } finally {
                lock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                String aborted = e instanceof IOException ? session.brokenReason() : null;
                breakConnection(e instanceof ReadBuffer.ProtocolViolation ? "protocol violation: " + e.getMessage()
                        : aborted != null ? aborted // closed by an abort (the read timeout): its reason is the cause
                        : "reading pipelined replies failed: " + e.getMessage(), e);
            } finally {
                lock.unlock();
            }
        }
    }

    /** A grouped read's part of the reply ended; returns the request whose part comes next. */
    private Request ended(Request member) {
        lock.lock();
        try {
            // Out of the line (its group's end still lists it), so the head is always the request
            // the server is answering.
            member.ended = true;
            sent.pollFirst();
            Request next = sent.peekFirst();
            if (next == null) {
                throw new IllegalStateException("a group of reads was sent without its Sync");
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A group's ReadyForQuery. Without an error anywhere, every member's results go to its caller.
     * Otherwise the server rolled back the members before the failure and skipped those after it:
     * the failed one gets its error, the others are sent again, each with a Sync of its own.
     */
    private void finishGroup(GroupEnd end, ReadyForQuery ready) {
        lock.lock();
        try {
            for (Request r = sent.pollFirst(); r != end && r != null; r = sent.pollFirst()) {
                // the members, all in front of their Sync
            }
            groupEnds--;
            boolean failed = end.error != null;
            for (Request m : end.members) {
                failed |= m.error != null || !m.ended;
            }
            if (ready.status() != 'I') {
                for (Request m : end.members) {
                    m.failure = new ConnectionException("a grouped read left a transaction block open (status "
                            + (char) ready.status() + ")", null, true);
                    finish(m);
                }
                breakConnection("a grouped read left a transaction block open (status " + (char) ready.status() + ")", null);
                return;
            }
            for (Request m : end.members) {
                session.countRoundTrip();
                m.group = null;
                m.ended = false;
                if (!failed || m.error != null) {
                    settle(m);
                } else if (m.abandoned) {
                    m.state = Request.DONE; // its caller left, and its statement did not take effect
                } else {
                    resend(m);
                }
            }
        } finally {
            noteIfIdle();
            lock.unlock();
        }
    }

    /** The head request's ReadyForQuery: hand it to its caller, or send it again after a stray cancel. */
    private void complete(Request request, ReadyForQuery ready) {
        lock.lock();
        try {
            sent.pollFirst();
            if (!(request instanceof PipelinedRequests.SimpleQuery)) {
                session.countRoundTrip(); // the reset rides free, as on the exclusive path
            }
            if (ready.status() != 'I' || request instanceof PipelinedRequests.SimpleQuery && request.error != null) {
                // Something in it opened a transaction block: every later request would run in it.
                request.state = Request.DONE;
                request.done().signal();
                breakConnection(request.error != null && request instanceof PipelinedRequests.SimpleQuery
                        ? "the session reset sent ahead of pipelined requests failed: " + request.error.getMessage()
                        : "a pipelined statement left a transaction block open (status " + (char) ready.status()
                        + "); statements that change session state need a connection of their own", null);
                return;
            }
            settle(request);
        } finally {
            noteIfIdle();
            lock.unlock();
        }
    }

    /** Hands a request whose reply is complete to its caller, or sends it again after a stray cancel; the lock is held. */
    private void settle(Request request) {
        if (request.error instanceof QueryCanceledException && !request.canceled && !request.abandoned
                && request.resent < MAX_RESENDS && lastCancelNanos != 0
                && System.nanoTime() - lastCancelNanos < STRAY_CANCEL_WINDOW_NANOS) {
            // A cancel we sent for an earlier request arrived after it ended and hit this one.
            resend(request);
            return;
        }
        request.state = Request.DONE;
        if (!request.abandoned) {
            request.done().signal();
        }
    }

    /** Queues a request again, with a Sync of its own; the lock is held. */
    private void resend(Request request) {
        closeGroup(); // then encode() below gives it a Sync of its own
        request.group = null;
        request.ended = false;
        request.resent++;
        request.error = null;
        request.reset();
        try {
            encode(request);
        } catch (RuntimeException e) {
            request.failure = e;
            request.state = Request.DONE;
            request.done().signal();
            return;
        }
        request.seq = nextSeq++;
        unsent.addLast(request);
        work.signalAll();
    }

    // ---- when the connection breaks ----

    /** Closes the connection and fails every queued request; the lock is held. */
    private void breakConnection(String reason, Throwable cause) {
        if (broken == null) {
            LOG.log(System.Logger.Level.DEBUG, "pipelined session breaks: {0}", reason);
        }
        failAll(null, reason, cause);
    }

    /**
     * Fails every request: the head gets {@code headError} when the server ended the session
     * while running it. Requests behind a FATAL error did not run; those written before an I/O
     * failure may have.
     */
    private void failAll(PgException headError, String reason, Throwable cause) {
        if (broken == null) {
            // The cause goes in the constructor: a Throwable built with a null cause can never take one later.
            broken = new ConnectionException("the connection is broken: " + reason, cause, false);
            session.abort(reason);
        }
        boolean first = true;
        for (Request r : sent) {
            if (r instanceof GroupEnd end) {
                for (Request m : end.members) {
                    if (m.ended) {
                        // A grouped read that ran; its shared transaction had not committed. After a
                        // FATAL error the server rolled it back; after an I/O failure nobody knows.
                        m.failure = new ConnectionException("the connection is broken: " + reason + (headError != null
                                ? "; its statement ran, but the transaction it shared was rolled back"
                                : "; its statement ran, and whether the transaction it shared committed is unknown"),
                                cause, headError == null);
                        finish(m);
                    }
                }
                r.state = Request.DONE;
                continue;
            }
            if (first && headError != null) {
                r.failure = headError;
            } else {
                r.failure = new ConnectionException("the connection is broken: " + reason, cause, headError == null);
            }
            first = false;
            finish(r);
        }
        sent.clear();
        for (Request r : unsent) {
            r.failure = new ConnectionException("the connection is broken: " + reason + "; the request was not sent",
                    null, false);
            finish(r);
        }
        unsent.clear();
        openGroup = null;
        groupEnds = 0;
        active = false;
        work.signalAll();
    }

    private static void finish(Request r) {
        r.state = Request.DONE;
        if (!r.abandoned) {
            r.done().signal();
        }
    }

    /** The Sync a group of reads shares: its ReadyForQuery completes them all. Nobody waits on it. */
    static final class GroupEnd extends Request {
        final List<Request> members = new ArrayList<>(8);

        GroupEnd() {
            abandoned = true;
        }

        @Override
        protected void encode(WriteBuffer out) {
            Sync.encode(out);
        }

        @Override
        protected boolean reply(BackendMessage m) {
            return false;
        }
    }

    /** A FATAL ErrorResponse: the server is closing the session. */
    private static final class FatalError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient PgException error;

        FatalError(PgException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    /**
     * One caller's request: what it writes and how it takes its replies. The reader thread calls
     * {@link #reply} for every message of its reply except ErrorResponse (kept in
     * {@link #error()}) and ReadyForQuery (which completes it).
     */
    public abstract static class Request {
        static final int NEW = 0, UNSENT = 1, SENT = 2, DONE = 3;

        Condition done;
        int state = NEW;
        int start;
        int end;
        long seq;
        volatile boolean abandoned;
        boolean canceled;
        int resent;
        PgException error;
        RuntimeException failure;
        /** May share a Sync with the plain reads queued beside it; see {@link #shareSync}. */
        private boolean sharesSync;
        /** The Sync it shares; null when it has its own. */
        GroupEnd group;
        /** Its part of its group's reply has ended; it waits for the group's ReadyForQuery. */
        boolean ended;

        /**
         * Lets this request share one Sync (one implicit transaction) with the other plain reads
         * queued beside it, when the session groups reads. Only for a single statement that, as far
         * as its text shows, only reads: its results are held until the group commits, and it is
         * sent again alone if another member fails.
         */
        public final void shareSync(boolean share) {
            this.sharesSync = share;
        }

        /** True when it is encoded under a shared Sync: its {@link #encode} must not write one. */
        protected final boolean syncShared() {
            return group != null;
        }

        /** Writes the request's messages, ending with Sync. May throw before anything is queued. */
        protected abstract void encode(WriteBuffer out);

        /** Takes one message of the reply; false when it is not part of a reply (a notice). */
        protected abstract boolean reply(BackendMessage m);

        /** Forgets what a reply delivered, before the request is sent again. */
        protected void reset() {
        }

        /** The caller stopped waiting: rows that still come need not be kept. */
        protected void abandoned() {
        }

        /** True once the caller stopped waiting for it. */
        protected final boolean isAbandoned() {
            return abandoned;
        }

        /** The server's error for this request, or null. */
        public final PgException error() {
            return error;
        }

        Condition done() {
            return done;
        }
    }

}
