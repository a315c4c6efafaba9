package io.pgloom.internal.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A blocking {@link SocketChannel} over TCP or a Unix-domain socket.
 *
 * <p>Blocking mode is deliberate: on a virtual thread a blocking read parks the thread in the
 * JDK's poller, and the code stays straight-line.
 *
 * <p>Parking has a price, though: on a virtual thread the reply's arrival wakes a poller, which
 * unparks the reader, which must then be scheduled onto a carrier, and the carrier itself may
 * have to be woken (a platform thread's blocking read costs just one kernel wake-up, and does
 * not spin). When
 * the server answers within tens of microseconds (a point select on loopback or a fast LAN),
 * those hand-offs cost as much as the query. So before a read that would block, the channel
 * first polls for a little while ({@link #read}): it asks the kernel how many bytes are
 * waiting and, while none are, spins. Whether and how long it spins adapts to how long replies
 * have been taking on this connection: while they come within {@link #SPIN_WHILE_TYPICAL_BELOW}
 * it spins up to twice the usual wait (at least {@link #SPIN_FLOOR}, at most
 * {@link #SPIN_CEILING}); once they take longer (a busy server, a slow query, many connections
 * sharing few cores) it parks at once, so a loaded machine loses no CPU to it, except for one
 * short probe every {@link #PROBE_EVERY} reads that finds out when replies are quick again. Only
 * reads that spun teach the estimate: a parked read's wait includes the wake-up, and learning
 * from it kept the estimate above the threshold for good once a slow spell had pushed it there
 * (W1 swung between about 10k and 25k queries/s from one iteration to the next); each probe that
 * catches a reply halves the distance to it, so a few in a row bring the spinning back. The spin
 * yields the carrier on each turn: with other virtual threads ready to run it is theirs, so the
 * spin costs only time the carrier would have spent idle. Nor does it spin while more virtual
 * threads wait for replies (on any channel) than there are carriers: then the carriers have
 * work, each spin turn is overhead, and parking is what pgjdbc's callers pay too. That count is
 * checked on every turn, not only when the spin starts: a caller that began spinning alone parks
 * as soon as others send requests too.
 *
 * <p>The reads that follow a reply's first bytes (the rest of a large result, a COPY's data)
 * spin too, with an estimate of their own: there the wait is for the server's next chunk of
 * rows, which on a fast server comes within tens of microseconds, and each park there costs a
 * wake-up on both sides. W3 (1,000 rows a query) waited about twelve times per query, mostly
 * 20-30 microseconds each. Spinning through those waits took the server from about 1.04 to 0.93
 * microseconds of CPU per row (on loopback the server's core runs the client's wake-up), left the
 * client's CPU per row where it was, and took W3 over TLS from 1.12-1.19 to 1.31-1.36 times
 * pgjdbc. Where the gaps are longer (a client much faster than the server, or a slow server),
 * spinning through them costs the client more than the parks it saves: the estimate then goes
 * above {@link #REST_SPIN_WHILE_TYPICAL_BELOW} and the reads park at once, as they all did
 * before. Spinning through every gap up to 200 microseconds once burned half of W8's client CPU.
 * A spin that runs out teaches this estimate only its own length, so one long gap does not end
 * the spinning through many short ones, while a run of them does.
 *
 * <p>The socket is read into and written from direct buffers of the channel's own, and the
 * bytes copied to and from the caller's heap buffers here. The JDK would make the same copy
 * through a temporary direct buffer, but it takes that buffer from a cache per carrier thread
 * and gives it back after every call: two carrier-thread-local lookups per read and per write,
 * which were 4% of a web app's CPU (W7) and 2.3% of W5's. The copy is the price of decoding from
 * a heap array.
 */
public final class PlainChannel implements PgChannel {

    /** Spin only while the typical wait for a reply is shorter than this. */
    static final long SPIN_WHILE_TYPICAL_BELOW = 100_000;
    /** The shortest spin worth starting. */
    static final long SPIN_FLOOR = 20_000;
    /** The longest spin before a read parks. */
    static final long SPIN_CEILING = 200_000;
    /**
     * Spin for the rest of a reply only while its gaps typically end sooner than this. A park
     * and its wake-up cost the client about 16 microseconds of CPU on this project's test machine
     * (and, on loopback, the server about 10 more), and spinning shortens the gaps it spins
     * through (the server no longer pays for wake-ups), so the break-even lies above 16. Measured
     * on W8's export, where the client is much faster than the server: at 50 microseconds its
     * client CPU per row rose by a third, at 40 by 7% with 2-9% more rows per second; W3's gaps
     * sit at 20-30 microseconds, and a threshold at 25 kept it parking.
     */
    static final long REST_SPIN_WHILE_TYPICAL_BELOW = 40_000;
    /** The shortest spin for the rest of a reply. */
    static final long REST_SPIN_FLOOR = 20_000;
    /** The longest spin for the rest of a reply. */
    static final long REST_SPIN_CEILING = 60_000;
    /** While replies are slow, one read in this many still spins briefly, to notice when they are quick again. */
    static final int PROBE_EVERY = 32;
    /**
     * The size of the direct buffers that reads land in and writes go out from, until a read or
     * write asks for more: a fresh {@link ReadBuffer}'s size, more than most requests and replies.
     */
    static final int STAGING_FIRST_SIZE = 16 * 1024;
    /**
     * The size they grow to when a read or write asks for more (TLS reads up to 64 KiB of
     * records at once; a COPY writes large chunks); anything larger goes in slices of this size.
     * Two sizes only, so that a connection allocates each buffer at most twice.
     */
    static final int STAGING_SIZE = 64 * 1024;

    private final SocketChannel channel;
    /**
     * The socket adaptor's input stream, used only for {@code available()} (FIONREAD); null for
     * a Unix-domain socket, which has no adaptor, and which therefore never spins.
     */
    private final java.io.InputStream pending;
    /** How long replies take to begin (the first read after a write). */
    private final WaitEstimate replyWaits =
            new WaitEstimate(SPIN_FLOOR, SPIN_WHILE_TYPICAL_BELOW, SPIN_FLOOR, SPIN_CEILING, false);
    /** How long the rest of a reply keeps a reader waiting (every other read). */
    private final WaitEstimate restWaits =
            new WaitEstimate(REST_SPIN_WHILE_TYPICAL_BELOW / 2, REST_SPIN_WHILE_TYPICAL_BELOW, REST_SPIN_FLOOR, REST_SPIN_CEILING, true);
    /** When positive, how long every wait may spin, whatever the estimate; for tests. */
    private long fixedSpinLimit;
    /**
     * Virtual threads in this JVM waiting for the server, over every channel: from a request's
     * write until the first read of its reply ends, and while a read of the rest of one spins.
     * Spinning pays only while there are no more of them than carriers to run them.
     */
    private static final java.util.concurrent.atomic.AtomicInteger REPLIES_AWAITED =
            new java.util.concurrent.atomic.AtomicInteger();
    /** The virtual-thread scheduler's carriers, as the JDK sizes it. */
    static final int SPINNING_WAITS_MAX = Math.max(1, Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors()));
    /** True while this channel is counted in {@link #REPLIES_AWAITED}. */
    private final java.util.concurrent.atomic.AtomicBoolean waitCounted = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Set by a write, cleared by the next read: that read waits for a reply and may spin. Written
     * and read by the thread that owns the channel; a pipelined session's reader and writer are
     * platform threads, which never spin, so they need no more than a plain field.
     */
    private boolean replyAwaited;
    /** Where reads land before they are copied to the caller's buffer; made on first use. */
    private ByteBuffer directIn;
    /** Where writes are copied before they go out; made on first use, used under {@link #writeLock}. */
    private ByteBuffer directOut;
    /**
     * Makes {@link #directOut} one writer's at a time. Writes never overlap by design, but a
     * pipelined session's writer thread can still be on its way out of a write when the replies
     * to what it wrote have been read and another thread, seeing the pipeline idle, starts a
     * request of its own (measured: a W7 request failed on a buffer two writers filled at once).
     * Uncontended, it costs what the socket's own write lock does.
     */
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();

    private PlainChannel(SocketChannel channel) throws IOException {
        this.channel = channel;
        java.io.InputStream in;
        try {
            in = channel.socket().getInputStream();
        } catch (UnsupportedOperationException e) {
            in = null;
        }
        this.pending = in;
    }

    /** Connects over TCP with no time limit. */
    public static PlainChannel connectTcp(InetSocketAddress address) throws IOException {
        return connectTcp(address, 0);
    }

    /**
     * Connects over TCP within {@code timeoutMillis} (0: no limit), with TCP_NODELAY since every
     * message we send is a complete request.
     */
    public static PlainChannel connectTcp(InetSocketAddress address, int timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (timeoutMillis > 0) {
                // The channel's socket adaptor is the JDK's one way to bound a blocking connect.
                ch.socket().connect(address, timeoutMillis);
            } else {
                ch.connect(address);
            }
            return new PlainChannel(ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Connects to {@code <directory>/.s.PGSQL.<port>}, the server's Unix-domain socket. */
    public static PlainChannel connectUnix(String directory, int port) throws IOException {
        SocketAddress address = UnixDomainSocketAddress.of(Path.of(directory, ".s.PGSQL." + port));
        SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        try {
            ch.connect(address);
            return new PlainChannel(ch);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Reads what is there, waiting for at least one byte: first, when the recent waits of its
     * kind were short, by spinning on the kernel's count of waiting bytes; then by a blocking
     * read, which returns at once when bytes came during the spin and parks otherwise.
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        boolean reply = replyAwaited;
        replyAwaited = false;
        try {
            return spinThenRead(dst, reply ? replyWaits : restWaits);
        } finally {
            stopCountingWait();
        }
    }

    /** A read that may spin first, and teaches {@code waits} when it did. */
    private int spinThenRead(ByteBuffer dst, WaitEstimate waits) throws IOException {
        long limit = spinLimit(waits);
        if (limit == 0) {
            // Parked at once: the wait includes the wake-up, so it says nothing about how quick
            // the server is (learning from it would keep the estimate high for good); probes do.
            return readStaged(dst);
        }
        long start = System.nanoTime();
        int waiting = waitingBytes();
        if (waiting != 0 && waits.gapsWithinAReply) {
            // The next chunk is already here: the client was the slow side, which says nothing
            // about how long the server keeps a reader waiting. (A reply already here when its
            // read begins does say that the server is quick, and teaches the reply estimate.)
            return readStaged(dst);
        }
        startCountingWait(); // a reply's wait is counted since its write
        boolean crowded = false;
        while (waiting == 0 && System.nanoTime() - start < limit) {
            if (REPLIES_AWAITED.get() > SPINNING_WAITS_MAX) {
                // More callers now wait for the server than there are carriers: the carriers
                // have their work, and each further turn would only delay it. Park.
                crowded = true;
                break;
            }
            // A virtual thread's yield lets any other virtual thread waiting for this carrier run
            // first, so the spin takes only time nobody else wants; with none, it returns at once.
            Thread.yield();
            waiting = waitingBytes();
        }
        int n = readStaged(dst);
        if (!crowded) { // a wait cut short by the crowd says nothing about the server
            waits.learn(System.nanoTime() - start, waiting != 0, limit);
        }
        return n;
    }

    /** How long the next read may spin, in nanoseconds (0: it parks at once); for tests. */
    long nextReadSpinLimit() {
        WaitEstimate waits = replyAwaited ? replyWaits : restWaits;
        int probe = waits.sinceProbe;
        long limit = spinLimit(waits);
        waits.sinceProbe = probe;
        return limit;
    }

    /** The estimate of how long a reply takes to begin, in nanoseconds; for tests. */
    long typicalWait() {
        return replyWaits.typical;
    }

    /** Sets the reply estimate, as a slow spell would have left it; for tests. */
    void typicalWait(long nanos) {
        replyWaits.typical = nanos;
    }

    /** The estimate of how long the rest of a reply keeps a reader waiting, in nanoseconds; for tests. */
    long typicalRestWait() {
        return restWaits.typical;
    }

    /** Sets the estimate for the rest of a reply; for tests. */
    void typicalRestWait(long nanos) {
        restWaits.typical = nanos;
    }

    /**
     * Lets waits spin for {@code nanos} whatever the estimate (0: as the estimate says); for
     * tests that must act while a spin runs, which a loaded machine may not schedule within the
     * usual 200 microseconds.
     */
    void fixSpinLimit(long nanos) {
        fixedSpinLimit = nanos;
    }

    /** How long the next read may spin before it parks: 0 for not at all. */
    private long spinLimit(WaitEstimate waits) {
        if (pending == null || !Thread.currentThread().isVirtual()) {
            // A platform thread's blocking read costs one kernel wake-up, which the scheduler
            // makes cheap by waking the reader where the server's process just ran; spinning
            // there only takes a core from the server (measured: W1 on a platform thread went
            // from about parity with pgjdbc to 0.66x with spinning on a loaded 2-core machine).
            return 0;
        }
        if (REPLIES_AWAITED.get() > SPINNING_WAITS_MAX) {
            // More callers wait for the server than there are carriers: each spin turn would cost
            // CPU that the others' work needs, and a parked wait is cheap when the carriers are
            // busy anyway (W9's four JdbcTemplate callers on one core ran 0.65x with spinning).
            return 0;
        }
        if (fixedSpinLimit > 0) {
            return fixedSpinLimit;
        }
        return waits.spinLimit();
    }

    /**
     * How long one kind of wait has lately lasted on this channel, and so whether and how long
     * the next one may spin. Only waits that spun teach it.
     */
    private static final class WaitEstimate {
        /** Spin only while {@link #typical} is below this. */
        private final long spinWhileBelow;
        private final long floor;
        private final long ceiling;
        /** A moving average of how long a wait lasted until its first byte, in nanoseconds. */
        long typical;
        /** Waits since the last probe while they are slow. */
        int sinceProbe;

        /**
         * True for the gaps within a reply, false for the wait for a reply to begin. A reply's
         * wait is one per request, and its whole length (parked remainder included) is what
         * decides whether spinning pays. A reply has many gaps: a spin that runs out teaches only
         * its own length ("longer than this"), so that one long gap (the server flushing its log,
         * a descheduled moment) does not end the spinning through many short ones, while a run
         * of them does, each raising the estimate by an eighth; and a chunk already there
         * teaches nothing.
         */
        final boolean gapsWithinAReply;

        WaitEstimate(long start, long spinWhileBelow, long floor, long ceiling, boolean gapsWithinAReply) {
            this.gapsWithinAReply = gapsWithinAReply;
            this.typical = start;
            this.spinWhileBelow = spinWhileBelow;
            this.floor = floor;
            this.ceiling = ceiling;
        }

        long spinLimit() {
            if (typical < spinWhileBelow) {
                return Math.min(ceiling, Math.max(floor, typical * 2));
            }
            if (++sinceProbe >= PROBE_EVERY) {
                sinceProbe = 0;
                return spinWhileBelow; // long enough to catch a wait short enough to spin for
            }
            return 0;
        }

        /**
         * A spun wait that lasted {@code waited} (parked remainder included) and ended with bytes
         * during the spin ({@code caught}) or not, after a spin of at most {@code limit}.
         */
        void learn(long waited, boolean caught, long limit) {
            if (caught && typical >= spinWhileBelow) {
                // A probe caught a quick one: halve the distance, so that a few such probes in a
                // row (not one lucky one on a loaded machine) bring the spinning back.
                typical = (typical + waited) / 2;
            } else if (!caught && gapsWithinAReply) {
                typical += (Math.min(waited, limit) - typical) >> 3;
            } else {
                typical += (waited - typical) >> 3;
            }
        }
    }

    @Override
    public boolean nothingArrived() {
        return pending != null && waitingBytes() == 0;
    }

    /** Bytes the kernel holds for us; -1 when it cannot say (closed: the read will tell why). */
    private int waitingBytes() {
        try {
            return pending.available();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Reads into the direct buffer, at most what {@code dst} has room for, and copies it there;
     * a direct {@code dst} is read into as it is.
     */
    private int readStaged(ByteBuffer dst) throws IOException {
        if (dst.isDirect()) {
            return channel.read(dst);
        }
        int room = Math.min(dst.remaining(), STAGING_SIZE);
        ByteBuffer staged = directIn;
        if (staged == null || staged.capacity() < room) {
            staged = directIn = staging(room);
        }
        staged.clear().limit(room);
        int n = channel.read(staged);
        if (n > 0) {
            dst.put(staged.flip());
        }
        return n;
    }

    private static ByteBuffer staging(int wanted) {
        return ByteBuffer.allocateDirect(wanted <= STAGING_FIRST_SIZE ? STAGING_FIRST_SIZE : STAGING_SIZE);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (src.isDirect() || !src.hasArray()) {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } else {
            writeLock.lock();
            try {
                ByteBuffer staged = directOut;
                if (staged == null || staged.capacity() < Math.min(src.remaining(), STAGING_SIZE)) {
                    staged = directOut = staging(src.remaining());
                }
                while (src.hasRemaining()) {
                    int slice = Math.min(src.remaining(), staged.capacity());
                    staged.clear();
                    staged.put(src.array(), src.arrayOffset() + src.position(), slice).flip();
                    while (staged.hasRemaining()) {
                        channel.write(staged);
                    }
                    src.position(src.position() + slice);
                }
            } finally {
                writeLock.unlock();
            }
        }
        replyAwaited = true;
        if (pending != null && Thread.currentThread().isVirtual()) {
            startCountingWait();
        }
    }

    /** Counts this channel in {@link #REPLIES_AWAITED}, once. */
    private void startCountingWait() {
        if (waitCounted.compareAndSet(false, true)) {
            REPLIES_AWAITED.incrementAndGet();
        }
    }

    /** Ends this channel's part in {@link #REPLIES_AWAITED}; safe from any thread, and twice. */
    private void stopCountingWait() {
        if (waitCounted.get() && waitCounted.compareAndSet(true, false)) {
            REPLIES_AWAITED.decrementAndGet();
        }
    }

    /** How many virtual threads now wait for a reply on some channel; for tests. */
    static int repliesAwaited() {
        return REPLIES_AWAITED.get();
    }

    @Override
    public boolean isTls() {
        return false;
    }

    @Override
    public void close() {
        stopCountingWait();
        closeQuietly(channel);
    }

    /** The underlying socket channel, for a TLS layer to run over. */
    public SocketChannel socketChannel() {
        return channel;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Closing is best effort: the peer may already be gone.
        }
    }
}
