package io.pgloom.internal.io;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link PlainChannel} may spin before parking: only on a virtual thread, and only while
 * the recent waits of the same kind were short. A reply's first read and the reads of the rest
 * of a reply keep separate estimates. The peer is a loopback socket that answers each request
 * with two chunks, the second one sent only after the client asked for it, so the second read
 * really waits.
 */
class PlainChannelTest {

    @Test
    void aReplyAndTheRestOfAReplyEachSpinByTheirOwnEstimate() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> serveTwoChunkReplies(listener));
            long slow = 5_000_000; // 5 ms
            long[] l = onVirtualThread(listener, channel -> {
                ByteBuffer in = ByteBuffer.allocate(16);
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                long replyQuick = channel.nextReadSpinLimit();
                readExactly(channel, in, 1);
                long restQuick = channel.nextReadSpinLimit();
                channel.typicalWait(slow); // replies slow, the rest of them quick
                channel.write(ByteBuffer.wrap(new byte[] {2})); // "send the rest"
                long replySlow = channel.nextReadSpinLimit();
                readExactly(channel, in, 1);
                long restStillQuick = channel.nextReadSpinLimit();
                channel.typicalRestWait(slow); // now the rest is slow too
                long restSlow = channel.nextReadSpinLimit();
                readExactly(channel, in, 1);
                return new long[] {replyQuick, restQuick, replySlow, restStillQuick, restSlow};
            });
            peer.join(10_000);
            assertThat(l[0]).as("waiting for a quick reply").isBetween(PlainChannel.SPIN_FLOOR, PlainChannel.SPIN_CEILING);
            assertThat(l[1]).as("waiting for the rest, quick so far").isBetween(PlainChannel.REST_SPIN_FLOOR, PlainChannel.REST_SPIN_CEILING);
            assertThat(l[2]).as("waiting for a reply while replies are slow").isZero();
            assertThat(l[3]).as("the rest, still quick").isPositive();
            assertThat(l[4]).as("the rest, once it is slow").isZero();
        }
    }

    /**
     * A server that keeps the reader waiting long between chunks of one reply (a slow export)
     * teaches the rest estimate so: after a few spins that run out (each raises it by an eighth
     * of the spin), the reads park at once, and every byte still arrives in order.
     */
    @Test
    void longGapsWithinAReplyStopTheSpinning() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int chunks = 40;
            Thread peer = Thread.ofPlatform().start(() -> {
                try (SocketChannel s = listener.accept()) {
                    s.read(ByteBuffer.allocate(1));
                    for (int i = 0; i < chunks; i++) {
                        Thread.sleep(3);
                        s.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long[] seen = onVirtualThread(listener, channel -> {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                ByteBuffer in = ByteBuffer.allocate(1);
                long first = 0;
                long outOfOrder = 0;
                for (int i = 0; i < chunks; i++) {
                    if (i == 1) {
                        first = channel.nextReadSpinLimit();
                    }
                    readExactly(channel, in, 1);
                    if (in.get(0) != (byte) i) {
                        outOfOrder++;
                    }
                }
                return new long[] {first, channel.typicalRestWait(), channel.nextReadSpinLimit(), outOfOrder};
            });
            peer.join(10_000);
            assertThat(seen[0]).as("the first wait within the reply").isPositive();
            assertThat(seen[1]).as("the rest estimate after %d gaps of 3 ms", chunks)
                    .isGreaterThanOrEqualTo(PlainChannel.REST_SPIN_WHILE_TYPICAL_BELOW);
            assertThat(seen[2]).as("the next wait within it").isZero();
            assertThat(seen[3]).as("bytes out of order").isZero();
        }
    }

    /**
     * One long gap within a reply (a spin that runs out, then a parked wait of 20 ms) teaches the
     * rest estimate only the length of the spin, so the next gap may still spin.
     */
    @Test
    void oneLongGapWithinAReplyDoesNotStopTheSpinning() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> replyWithAGap(listener, 20));
            long[] seen = onVirtualThread(listener, channel -> {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                ByteBuffer in = ByteBuffer.allocate(1);
                readExactly(channel, in, 1);
                long before = channel.typicalRestWait();
                readExactly(channel, in, 1); // the 20 ms gap
                return new long[] {before, channel.typicalRestWait(), channel.nextReadSpinLimit()};
            });
            peer.join(10_000);
            assertThat(seen[1]).as("the estimate after one 20 ms gap, from %d ns", seen[0])
                    .isLessThanOrEqualTo(PlainChannel.REST_SPIN_CEILING);
            assertThat(seen[2]).as("the next gap").isPositive();
        }
    }

    /**
     * A read spinning for the rest of a reply counts as waiting for the server while it spins,
     * so that others see the crowd it makes (as it sees theirs), and stops counting when it ends.
     */
    @Test
    void aSpinForTheRestOfAReplyCountsAsWaiting() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> replyWithAGap(listener, 300));
            int before = PlainChannel.repliesAwaited();
            AtomicReference<Integer> during = new AtomicReference<>();
            long[] seen = onVirtualThread(listener, channel -> {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                readExactly(channel, ByteBuffer.allocate(1), 1);
                int afterReply = PlainChannel.repliesAwaited();
                channel.fixSpinLimit(10_000_000_000L); // spins until the rest comes, 300 ms on
                Thread watcher = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    during.set(PlainChannel.repliesAwaited());
                });
                readExactly(channel, ByteBuffer.allocate(1), 1);
                watcher.join();
                return new long[] {afterReply, PlainChannel.repliesAwaited()};
            });
            peer.join(10_000);
            assertThat(seen[0]).as("after the reply's first read").isEqualTo(before);
            assertThat(during.get()).as("while spinning for the rest").isEqualTo(before + 1);
            assertThat(seen[1]).as("after the rest came").isEqualTo(before);
        }
    }

    @Test
    void aPlatformThreadNeverSpins() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> serveTwoChunkReplies(listener));
            try (PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress())) {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                assertThat(channel.nextReadSpinLimit()).as("a reply").isZero();
                readExactly(channel, ByteBuffer.allocate(16), 1);
                assertThat(channel.nextReadSpinLimit()).as("the rest of a reply").isZero();
                channel.write(ByteBuffer.wrap(new byte[] {2}));
                readExactly(channel, ByteBuffer.allocate(16), 2);
            }
            peer.join(10_000);
        }
    }

    /**
     * While replies are slow the channel parks at once, and those parked waits (which include
     * the wake-up) must not teach the estimate, or it could never come back down; only the
     * occasional probe, which spins, may change it.
     */
    @Test
    void parkedReadsLeaveTheEstimateToTheProbes() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int exchanges = PlainChannel.PROBE_EVERY - 1; // no probe among them
            Thread peer = Thread.ofPlatform().start(() -> echo(listener, exchanges));
            long slow = 5_000_000; // 5 ms: replies were slow a moment ago
            long[] s = onVirtualThread(listener, channel -> {
                channel.typicalWait(slow);
                ByteBuffer in = ByteBuffer.allocate(1);
                long maxLimit = 0;
                for (int i = 0; i < exchanges; i++) {
                    channel.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    maxLimit = Math.max(maxLimit, channel.nextReadSpinLimit());
                    readExactly(channel, in, 1);
                }
                return new long[] {channel.typicalWait(), slow, maxLimit};
            });
            peer.join(10_000);
            assertThat(s[2]).as("no read spun").isZero();
            assertThat(s[0]).as("the estimate after %d parked reads", exchanges).isEqualTo(s[1]);
        }
    }

    /**
     * With more virtual threads waiting for replies than there are carriers, none spins: the
     * count rises with each channel that wrote and falls when its reply's first read ends, or it
     * closes.
     */
    @Test
    void noSpinWhileMoreCallersWaitThanCarriers() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int channels = PlainChannel.SPINNING_WAITS_MAX + 1;
            Thread peer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < channels; i++) {
                    try {
                        listener.accept(); // left open until the listener closes; nothing is read
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            long[] seen = onVirtualThread(listener, first -> {
                int before = PlainChannel.repliesAwaited();
                java.util.List<PlainChannel> others = new java.util.ArrayList<>();
                try {
                    first.write(ByteBuffer.wrap(new byte[] {1}));
                    long alone = first.nextReadSpinLimit();
                    for (int i = 1; i < channels; i++) {
                        PlainChannel c = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress());
                        others.add(c);
                        c.write(ByteBuffer.wrap(new byte[] {1}));
                    }
                    long crowded = first.nextReadSpinLimit();
                    int counted = PlainChannel.repliesAwaited() - before;
                    return new long[] {alone, crowded, counted, before};
                } finally {
                    others.forEach(PlainChannel::close);
                    first.close();
                }
            });
            peer.join(10_000);
            assertThat(seen[0]).as("one caller waiting: it may spin").isPositive();
            assertThat(seen[1]).as("%d callers waiting", channels).isZero();
            assertThat(seen[2]).isEqualTo(channels);
            // closed without reading their replies, the channels no longer count
            assertThat(PlainChannel.repliesAwaited()).isEqualTo((int) seen[3]);
        }
    }

    /**
     * A caller that began spinning alone stops as soon as others send requests too (the count
     * is checked on every turn, not only when the spin starts), and that wait, parked because
     * of the crowd rather than a slow server, leaves the estimate alone. The spin may run for 10 s
     * here (not the usual 200 us, which a loaded machine can spend descheduled before the crowd
     * even starts). The crowd sends 100 ms into the wait, and the reply comes after 300 ms: a
     * spin that did not stop for the crowd would catch it and learn from it.
     */
    @Test
    void aSpinStopsWhenOthersStartWaiting() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int others = PlainChannel.SPINNING_WAITS_MAX;
            Thread peer = Thread.ofPlatform().start(() -> {
                try (SocketChannel first = listener.accept()) {
                    java.util.List<SocketChannel> silent = new java.util.ArrayList<>();
                    for (int i = 0; i < others; i++) {
                        silent.add(listener.accept()); // never answered
                    }
                    first.read(ByteBuffer.allocate(1));
                    Thread.sleep(300);
                    first.write(ByteBuffer.wrap(new byte[] {7}));
                    for (SocketChannel s : silent) {
                        s.close();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long quick = 90_000; // replies have been quick: the read may spin
            long[] seen = onVirtualThread(listener, first -> {
                java.util.List<PlainChannel> crowd = new java.util.ArrayList<>();
                try {
                    for (int i = 0; i < others; i++) {
                        crowd.add(PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress()));
                    }
                    first.typicalWait(quick);
                    first.fixSpinLimit(10_000_000_000L);
                    first.write(ByteBuffer.wrap(new byte[] {1}));
                    long limit = first.nextReadSpinLimit();
                    // The crowd's requests go out while the first caller spins: 100 ms into
                    // its wait, long after its spin began, long before the reply.
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (PlainChannel c : crowd) {
                            try {
                                c.write(ByteBuffer.wrap(new byte[] {1}));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
                    readExactly(first, ByteBuffer.allocate(1), 1);
                    return new long[] {limit, first.typicalWait()};
                } finally {
                    crowd.forEach(PlainChannel::close);
                }
            });
            peer.join(10_000);
            assertThat(seen[0]).as("alone, it may spin").isPositive();
            assertThat(seen[1]).as("the estimate after a wait cut short by the crowd").isEqualTo(quick);
        }
    }

    /** What a client does with its channel, returning what it saw. */
    interface ClientSteps {
        long[] run(PlainChannel channel) throws Exception;
    }

    /** Connects to {@code listener} from a virtual thread (where spinning applies) and runs {@code steps}. */
    private static long[] onVirtualThread(ServerSocketChannel listener, ClientSteps steps) throws Exception {
        AtomicReference<long[]> seen = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread client = Thread.ofVirtual().start(() -> {
            try (PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress())) {
                seen.set(steps.run(channel));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        client.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(seen.get()).as("the client finished").isNotNull();
        return seen.get();
    }

    /**
     * Bytes pass through the channel's own direct buffers: a small write and then one larger than
     * the largest buffer, and reads into heap buffers larger and smaller than it, at offsets in
     * their arrays, must carry every byte in order, and no read may return more than its buffer
     * had room for.
     */
    @Test
    void largeWritesAndReadsPassThroughTheDirectBuffersIntact() throws Exception {
        int size = 5 * PlainChannel.STAGING_SIZE + 12_345;
        byte[] sent = new byte[size];
        new java.util.Random(42).nextBytes(sent);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> echoAll(listener, size));
            PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress());
            try {
                // Heap buffers at an offset into their arrays, as slices of bigger ones.
                ByteBuffer first = ByteBuffer.wrap(new byte[120], 100, 20).slice();
                first.put(sent, 0, 20).flip();
                channel.write(first);
                ByteBuffer rest = ByteBuffer.wrap(new byte[size + 100], 100, size - 20).slice();
                rest.put(sent, 20, size - 20).flip();
                channel.write(rest);
                assertThat(rest.hasRemaining()).as("the whole write went").isFalse();

                byte[] received = new byte[size];
                int at = 0;
                int[] room = {7, PlainChannel.STAGING_SIZE * 3, 1, PlainChannel.STAGING_SIZE - 1, 100_000};
                for (int i = 0; at < size; i++) {
                    int want = Math.min(room[i % room.length], size - at);
                    ByteBuffer in = ByteBuffer.wrap(new byte[want + 3], 3, want).slice();
                    int n = channel.read(in);
                    assertThat(n).as("a read returns what its buffer has room for, at most").isBetween(1, want);
                    assertThat(in.position()).isEqualTo(n);
                    System.arraycopy(in.array(), in.arrayOffset(), received, at, n);
                    at += n;
                }
                assertThat(received).as("every byte, in order").isEqualTo(sent);
            } finally {
                channel.close();
            }
            peer.join(10_000);
        }
    }

    /**
     * Two threads writing at once (as a pipelined session's writer, on its way out of a write,
     * and the next caller can) must each get their bytes out whole: the channel's one outgoing
     * buffer must not be filled by both. The peer checks every write it receives.
     */
    @Test
    void writesFromTwoThreadsAtOnceEachArriveWhole() throws Exception {
        int perThread = 3_000;
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            java.util.concurrent.CompletableFuture<Integer> checked = new java.util.concurrent.CompletableFuture<>();
            Thread peer = Thread.ofPlatform().start(() -> checkWholeWrites(listener, 2 * perThread, checked));
            PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress());
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                java.util.List<Thread> writers = new java.util.ArrayList<>();
                java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
                for (int w = 1; w <= 2; w++) {
                    byte fill = (byte) w;
                    writers.add(Thread.ofPlatform().start(() -> {
                        try {
                            start.await();
                            for (int i = 0; i < perThread; i++) {
                                // [length, then that many bytes all equal to the writer's number]
                                int length = 1 + (i * 37) % 400;
                                ByteBuffer out = ByteBuffer.allocate(4 + length);
                                out.putInt(length);
                                for (int b = 0; b < length; b++) {
                                    out.put(fill);
                                }
                                channel.write(out.flip());
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    }));
                }
                start.countDown();
                for (Thread t : writers) {
                    t.join(30_000);
                }
                assertThat(failures).as("no write failed").isEmpty();
                assertThat(checked.get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .as("writes the peer received, each whole").isEqualTo(2 * perThread);
            } finally {
                channel.close();
            }
            peer.join(10_000);
        }
    }

    /** One connection: reads {@code count} length-prefixed writes and checks each is one writer's bytes. */
    private static void checkWholeWrites(ServerSocketChannel listener, int count,
                                         java.util.concurrent.CompletableFuture<Integer> result) {
        try (SocketChannel s = listener.accept();
             java.io.DataInputStream in = new java.io.DataInputStream(
                     new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(s)))) {
            for (int i = 0; i < count; i++) {
                int length = in.readInt();
                if (length < 1 || length > 400) {
                    throw new IllegalStateException("write " + i + " has a broken length " + length);
                }
                byte[] body = new byte[length];
                in.readFully(body);
                for (byte b : body) {
                    if (b != body[0] || (b != 1 && b != 2)) {
                        throw new IllegalStateException("write " + i + " mixes bytes of two writers");
                    }
                }
            }
            result.complete(count);
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
    }

    /** One connection: reads {@code total} bytes and writes them back as they come. */
    private static void echoAll(ServerSocketChannel listener, int total) {
        try (SocketChannel s = listener.accept()) {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            int echoed = 0;
            while (echoed < total) {
                buffer.clear();
                int n = s.read(buffer);
                if (n < 0) {
                    return;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    s.write(buffer);
                }
                echoed += n;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One connection: answers each byte with a byte, {@code exchanges} times. */
    private static void echo(ServerSocketChannel listener, int exchanges) {
        try (SocketChannel s = listener.accept()) {
            ByteBuffer one = ByteBuffer.allocate(1);
            for (int i = 0; i < exchanges; i++) {
                one.clear();
                while (one.hasRemaining()) {
                    if (s.read(one) < 0) {
                        return;
                    }
                }
                one.flip();
                s.write(one);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One connection: reads a byte, answers with byte 1, and sends byte 2 {@code gapMillis} later: a reply with a gap. */
    private static void replyWithAGap(ServerSocketChannel listener, long gapMillis) {
        try (SocketChannel s = listener.accept()) {
            s.read(ByteBuffer.allocate(1));
            s.write(ByteBuffer.wrap(new byte[] {1}));
            Thread.sleep(gapMillis);
            s.write(ByteBuffer.wrap(new byte[] {2}));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One connection: reads a byte, answers with one byte; reads another, answers with two. */
    private static void serveTwoChunkReplies(ServerSocketChannel listener) {
        try (SocketChannel s = listener.accept()) {
            ByteBuffer one = ByteBuffer.allocate(1);
            s.read(one);
            s.write(ByteBuffer.wrap(new byte[] {10}));
            one.clear();
            s.read(one);
            s.write(ByteBuffer.wrap(new byte[] {20, 21}));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readExactly(PlainChannel channel, ByteBuffer buffer, int bytes) throws Exception {
        buffer.clear().limit(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IllegalStateException("the peer closed early");
            }
        }
    }
}
