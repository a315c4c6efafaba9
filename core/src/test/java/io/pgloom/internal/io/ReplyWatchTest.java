package io.pgloom.internal.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits in the {@link ReplyWatch}: with more virtual threads waiting for replies than there are
 * carriers, one watcher catches the replies and wakes their readers, hands back to the poller
 * the waits that outlast their spin, and lets an interrupted waiter go. The peer is a loopback
 * socket per client that answers each four-byte number with the next one after a set delay,
 * which a real server cannot be told to do.
 */
class ReplyWatchTest {

    /** More clients than carriers, so that most waits are in a crowd. */
    private static final int CLIENTS = PlainChannel.SPINNING_WAITS_MAX + 4;

    /**
     * Replies 200 microseconds apart on every connection keep the crowd waiting at once; with a
     * spin limit of a second, the watcher catches every reply that is not its own, so no byte
     * may be lost or go to the wrong reader, and no waiter may be left parked.
     */
    @Test
    void aCrowdWaitsInTheWatchAndEveryReplyReachesItsReader() throws Exception {
        long arrivalsBefore = ReplyWatch.arrivals();
        int awaitedBefore = PlainChannel.repliesAwaited();
        int exchanges = 300;
        List<Throwable> failures = runClients(200_000, exchanges, 1_000_000_000L, (channel, client) -> {
            ByteBuffer buffer = ByteBuffer.allocate(4);
            for (int i = 0; i < exchanges; i++) {
                int sent = client * 1_000_000 + i;
                channel.write(ByteBuffer.allocate(4).putInt(0, sent));
                readExactly(channel, buffer.clear());
                assertThat(buffer.getInt(0)).as("client %d, exchange %d", client, i).isEqualTo(sent + 1);
            }
        });
        assertThat(failures).isEmpty();
        assertThat(ReplyWatch.arrivals() - arrivalsBefore).as("replies the watcher caught").isPositive();
        assertThat(ReplyWatch.watched()).as("waiters left in the watch").isZero();
        assertThat(PlainChannel.repliesAwaited()).isEqualTo(awaitedBefore);
        awaitWatcherGone();
    }

    /**
     * Replies that take 20 ms: the watch hands those waits back to the poller once no reply has
     * come for {@link ReplyWatch#IDLE_LIMIT_NANOS}, each reply still arrives, and once more than
     * a quarter of the waits went back, crowds park in the poller at once.
     */
    @Test
    void waitsForSlowRepliesGoBackToThePollerAndThenSkipTheWatch() throws Exception {
        long handBacksBefore = ReplyWatch.handBacks();
        int exchanges = 8;
        List<Throwable> failures = runClients(20_000_000, exchanges, 0, (channel, client) -> {
            ByteBuffer buffer = ByteBuffer.allocate(4);
            for (int i = 0; i < exchanges; i++) {
                channel.write(ByteBuffer.allocate(4).putInt(0, i));
                readExactly(channel, buffer.clear());
                assertThat(buffer.getInt(0)).isEqualTo(i + 1);
            }
        });
        assertThat(failures).isEmpty();
        assertThat(ReplyWatch.handBacks() - handBacksBefore).as("waits handed back").isGreaterThanOrEqualTo(CLIENTS);
        assertThat(ReplyWatch.crowdsPark()).as("crowds park at once").isTrue();
        assertThat(ReplyWatch.watched()).isZero();
        awaitWatcherGone();
    }

    /**
     * A sweep asks the oldest waits first and stops at the first that has nothing yet, since
     * replies mostly come in the order their requests went out; but a reply that overtakes an
     * older wait (a slow query's) must still be caught, by the full sweep that comes every few.
     * Here the oldest wait's reply comes only after every other client has done 100 exchanges,
     * and every wait may stay in the watch for seconds: none may have to be handed back.
     */
    @Test
    void aReplyThatOvertakesAnOlderWaitIsStillCaught() throws Exception {
        long handBacksBefore = ReplyWatch.handBacks();
        long arrivalsBefore = ReplyWatch.arrivals();
        try (ServerSocketChannel slowListener = loopbackListener()) {
            CountDownLatch othersDone = new CountDownLatch(1);
            AtomicReference<Throwable> slowFailure = new AtomicReference<>();
            Thread slowPeer = Thread.ofPlatform().start(() -> {
                try (SocketChannel s = slowListener.accept()) {
                    s.read(ByteBuffer.allocate(1));
                    othersDone.await();
                    s.write(ByteBuffer.wrap(new byte[] {42}));
                } catch (Exception e) {
                    slowFailure.set(e);
                }
            });
            AtomicReference<Integer> slowReply = new AtomicReference<>();
            Thread slowClient = Thread.ofVirtual().start(() -> {
                try (PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) slowListener.getLocalAddress())) {
                    channel.fixSpinLimit(60_000_000_000L);
                    channel.write(ByteBuffer.wrap(new byte[] {1}));
                    ByteBuffer one = ByteBuffer.allocate(1);
                    readExactly(channel, one);
                    slowReply.set((int) one.get(0));
                } catch (Throwable t) {
                    slowFailure.set(t);
                }
            });
            await(() -> PlainChannel.repliesAwaited() >= 1, "the slow client waits");
            int exchanges = 100;
            List<Throwable> failures = runClients(200_000, exchanges, 5_000_000_000L, (channel, client) -> {
                ByteBuffer buffer = ByteBuffer.allocate(4);
                for (int i = 0; i < exchanges; i++) {
                    channel.write(ByteBuffer.allocate(4).putInt(0, i));
                    readExactly(channel, buffer.clear());
                    assertThat(buffer.getInt(0)).isEqualTo(i + 1);
                }
            });
            assertThat(slowClient.isAlive()).as("the slow client still waits for its reply").isTrue();
            othersDone.countDown();
            slowClient.join(10_000);
            slowPeer.join(10_000);
            assertThat(failures).isEmpty();
            assertThat(slowFailure.get()).isNull();
            assertThat(slowReply.get()).isEqualTo(42);
        }
        assertThat(ReplyWatch.arrivals() - arrivalsBefore).as("replies the watcher caught").isPositive();
        assertThat(ReplyWatch.handBacks() - handBacksBefore).as("waits handed back").isZero();
        awaitWatcherGone();
    }

    /**
     * A waiter parked in the watch (whose spin limit, ten seconds, would keep it there) must leave
     * when interrupted, and its blocking read then ends with the interrupt, as a read outside the
     * watch would; the other waiters stay and get their replies.
     */
    @Test
    void anInterruptedWaiterLeavesTheWatch() throws Exception {
        try (ServerSocketChannel listener = loopbackListener()) {
            List<SocketChannel> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < CLIENTS; i++) {
                    try {
                        accepted.add(listener.accept()); // nothing is answered until the end
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            CountDownLatch written = new CountDownLatch(CLIENTS);
            List<Thread> clients = new ArrayList<>();
            AtomicReference<Throwable> interruptedEnd = new AtomicReference<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                boolean victim = c == 0;
                clients.add(Thread.ofVirtual().start(() -> {
                    try (PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress())) {
                        channel.fixSpinLimit(10_000_000_000L);
                        channel.write(ByteBuffer.wrap(new byte[] {1}));
                        written.countDown();
                        ByteBuffer one = ByteBuffer.allocate(1);
                        try {
                            readExactly(channel, one);
                            if (victim) {
                                failures.add(new AssertionError("the interrupted read returned a reply"));
                            }
                        } catch (IOException e) {
                            if (victim) {
                                interruptedEnd.set(e);
                            } else {
                                failures.add(e);
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            acceptor.join(10_000);
            await(() -> ReplyWatch.watched() >= 2, "two waiters in the watch");
            Thread victim = clients.get(0);
            victim.interrupt();
            victim.join(5_000);
            assertThat(victim.isAlive()).as("the interrupted waiter still waits").isFalse();
            assertThat(interruptedEnd.get()).isInstanceOf(ClosedByInterruptException.class);
            for (SocketChannel s : accepted) {
                s.write(ByteBuffer.wrap(new byte[] {2})); // the victim's peer may be closed; it's the last
            }
            for (Thread t : clients) {
                t.join(10_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(failures).isEmpty();
            for (SocketChannel s : accepted) {
                s.close();
            }
        }
        assertThat(ReplyWatch.watched()).isZero();
        awaitWatcherGone();
    }

    /** What one client does over its channel. */
    interface ClientSteps {
        void run(PlainChannel channel, int client) throws Exception;
    }

    /**
     * Runs {@link #CLIENTS} clients on virtual threads, each with its own connection to a peer
     * that answers every number with the next one after {@code delayNanos}; returns what failed.
     */
    private static List<Throwable> runClients(long delayNanos, int exchanges, long spinLimit, ClientSteps steps) throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocketChannel listener = loopbackListener()) {
            List<Thread> peers = new ArrayList<>();
            Thread acceptor = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < CLIENTS; i++) {
                    try {
                        SocketChannel s = listener.accept();
                        peers.add(Thread.ofPlatform().start(() -> answerNextNumbers(s, exchanges, delayNanos, failures)));
                    } catch (IOException e) {
                        failures.add(e);
                        return;
                    }
                }
            });
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    try (PlainChannel channel = PlainChannel.connectTcp((InetSocketAddress) listener.getLocalAddress())) {
                        if (spinLimit > 0) {
                            channel.fixSpinLimit(spinLimit);
                        }
                        steps.run(channel, client);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : clients) {
                t.join(60_000);
                assertThat(t.isAlive()).as("a client still waits").isFalse();
            }
            acceptor.join(10_000);
            for (Thread p : peers) {
                p.join(10_000);
            }
        }
        return failures;
    }

    private static void answerNextNumbers(SocketChannel s, int exchanges, long delayNanos, List<Throwable> failures) {
        try (s) {
            ByteBuffer number = ByteBuffer.allocate(4);
            for (int i = 0; i < exchanges; i++) {
                number.clear();
                while (number.hasRemaining()) {
                    if (s.read(number) < 0) {
                        return;
                    }
                }
                LockSupport.parkNanos(delayNanos);
                number.putInt(0, number.getInt(0) + 1).flip();
                s.write(number);
            }
        } catch (IOException e) {
            failures.add(e);
        }
    }

    private static ServerSocketChannel loopbackListener() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return listener;
    }

    private static void readExactly(PlainChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the peer closed early");
            }
        }
    }

    /** The watcher ends by itself once nobody has waited for a while. */
    private static void awaitWatcherGone() throws InterruptedException {
        await(() -> !ReplyWatch.watching(), "the watcher ended");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.sleep(1);
        }
    }
}
