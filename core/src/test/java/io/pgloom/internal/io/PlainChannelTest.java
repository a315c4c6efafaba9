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
 * When {@link PlainChannel} may spin before parking: only on a virtual thread, and only for the
 * read that waits for the reply to what was just written. The rest of a long reply is read
 * without spinning. The peer is a loopback socket that answers each request with two chunks,
 * the second one sent only after the client asked for it, so the second read really waits.
 */
class PlainChannelTest {

    @Test
    void onlyTheFirstReadAfterAWriteMaySpin() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> serveTwoChunkReplies(listener));
            long[] l = onVirtualThread(listener, channel -> {
                ByteBuffer in = ByteBuffer.allocate(16);
                long beforeAnyWrite = channel.nextReadSpinLimit();
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                long afterWrite = channel.nextReadSpinLimit();
                readExactly(channel, in, 1);
                long midReply = channel.nextReadSpinLimit();
                channel.write(ByteBuffer.wrap(new byte[] {2})); // "send the rest"
                readExactly(channel, in, 2);
                long afterWholeReply = channel.nextReadSpinLimit();
                return new long[] {beforeAnyWrite, afterWrite, midReply, afterWholeReply};
            });
            peer.join(10_000);
            assertThat(l[0]).as("before any write").isZero();
            assertThat(l[1]).as("waiting for a reply").isBetween(PlainChannel.SPIN_FLOOR, PlainChannel.SPIN_CEILING);
            assertThat(l[2]).as("after the reply's first bytes, before the next write").isZero();
            assertThat(l[3]).as("after the reply was read").isZero();
        }
    }

    @Test
    void aPlatformThreadNeverSpins() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread peer = Thread.ofPlatform().start(() -> serveTwoChunkReplies(listener));
            try (PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress())) {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                assertThat(channel.nextReadSpinLimit()).isZero();
                readExactly(channel, ByteBuffer.allocate(16), 1);
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
