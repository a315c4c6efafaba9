package io.pgloom.it.faults;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The malformed-message storm: 10,000 sessions against a fake server that answers with random,
 * truncated or oversized messages, at startup or after a query. Every failure must be a
 * PgException (never an OutOfMemoryError, a hang, or another type), and afterwards the file
 * descriptors and platform threads are back where they were.
 */
@Tag("long")
class MalformedStormTest {

    static final int SESSIONS = 10_000;

    static long openFileDescriptors() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.count();
        }
    }

    @Test
    void tenThousandSessionsOfGarbageEndInPgExceptionsAndLeakNothing() throws Exception {
        storm(200); // warms up what a JVM starts once (carrier threads, pgloom's timer thread)
        long fdsBefore = openFileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        storm(SESSIONS);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (openFileDescriptors() > fdsBefore + 4
                || ManagementFactory.getThreadMXBean().getThreadCount() > threadsBefore + 2) {
            assertThat(System.nanoTime()).as("fds " + openFileDescriptors() + " (before " + fdsBefore + "), threads "
                    + ManagementFactory.getThreadMXBean().getThreadCount() + " (before " + threadsBefore
                    + ") back to baseline").isLessThan(deadline);
            Thread.sleep(50);
        }
        System.out.printf("malformed storm: fds %d (before %d), platform threads %d (before %d)%n",
                openFileDescriptors(), fdsBefore, ManagementFactory.getThreadMXBean().getThreadCount(), threadsBefore);
    }

    private void storm(int sessions) throws Exception {
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger failedAsExpected = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        Thread.ofVirtual().start(() -> misbehave(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            ConnectOptions options = ConnectOptions.builder().host("127.0.0.1").port(listener.getLocalPort())
                    .user("u").password("pw").database("d").connectTimeout(Duration.ofSeconds(2))
                    .commandTimeout(Duration.ofSeconds(2)).build();
            List<Thread> clients = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (next.getAndIncrement() < sessions) {
                        try (PgConnection conn = PgConnection.connect(options)) {
                            conn.fetch("SELECT 1");
                            conn.fetch("SELECT 2");
                        } catch (PgException e) {
                            failedAsExpected.incrementAndGet();
                        } catch (Throwable t) {
                            wrong.add(t);
                        }
                    }
                }));
            }
            for (Thread t : clients) {
                t.join(Duration.ofMinutes(3));
                assertThat(t.isAlive()).as("a client hung").isFalse();
            }
            listener.close();
            acceptor.join(Duration.ofSeconds(5));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("malformed storm: %d sessions in %d ms, %d ended in a PgException, %d otherwise%n",
                sessions, millis, failedAsExpected.get(), wrong.size());
        assertThat(wrong).as("failures other than PgException").isEmpty();
        assertThat(failedAsExpected.get()).isGreaterThan(sessions / 2);
    }

    /** One fake session: a valid or broken start, then garbage of one of several shapes. */
    private static void misbehave(Socket s) {
        Random random = new Random(s.getPort());
        try (s) {
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] packet = new byte[in.readInt() - 4];
            in.readFully(packet);
            int scenario = random.nextInt(8);
            if (scenario == 0) {
                out.write(randomBytes(random, 1 + random.nextInt(64)));
                return;
            }
            // AuthenticationOk, BackendKeyData, ReadyForQuery: a session that seems fine.
            ByteBuffer ok = ByteBuffer.allocate(9 + 13 + 6);
            ok.put((byte) 'R').putInt(8).putInt(0);
            ok.put((byte) 'K').putInt(12).putInt(42).putInt(random.nextInt());
            ok.put((byte) 'Z').putInt(5).put((byte) 'I');
            if (scenario == 1) {
                out.write(ok.array(), 0, 9 + random.nextInt(13)); // truncated mid-start
                return;
            }
            out.write(ok.array());
            out.flush();
            in.readByte();
            byte[] query = new byte[in.readInt() - 4];
            in.readFully(query);
            switch (scenario) {
                case 2 -> out.write(randomBytes(random, 1 + random.nextInt(4096)));
                case 3 -> out.write(ByteBuffer.allocate(5).put((byte) 'D').putInt(Integer.MAX_VALUE).array());
                case 4 -> out.write(ByteBuffer.allocate(5).put((byte) 'T').putInt(2).array()); // impossible length
                case 5 -> {
                    byte[] tags = {'T', 'D', 'C', 'E', 'N', 'A', 'S', 'Z', '1', '2', 'n', 's'};
                    for (int i = 0; i < 20; i++) {
                        byte[] body = randomBytes(random, random.nextInt(40));
                        out.write(ByteBuffer.allocate(5 + body.length).put(tags[random.nextInt(tags.length)])
                                .putInt(4 + body.length).put(body).array());
                    }
                }
                case 6 -> out.write(new byte[] {'C', 0, 0, 0, 20, 'S', 'E'}); // then hang up mid-message
                default -> {
                    // A row with more columns than described, then a clean end.
                    out.write(ByteBuffer.allocate(100).put((byte) 'D').putInt(4 + 2 + 8).putShort((short) 2)
                            .putInt(0).putInt(-1).put((byte) 'C').putInt(13).put("SELECT 1\0".getBytes())
                            .put((byte) 'Z').putInt(5).put((byte) 'I').array(), 0, 34);
                }
            }
            out.flush();
        } catch (IOException e) {
            // the client gave up first
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
