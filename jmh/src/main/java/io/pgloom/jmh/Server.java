package io.pgloom.jmh;

import io.pgloom.testing.PgServer;

/**
 * Starts the benchmark server, loads it, prints its URI and keeps it running until the JVM is
 * stopped: for running single benchmarks by hand with JMH's own main, e.g.
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar io.pgloom.jmh.Server &amp;   # prints postgresql://...
 * java -cp jmh/target/benchmarks.jar org.openjdk.jmh.Main W2PointSelect.pgloom -p thread=virtual \
 *      -prof jfr -jvmArgsAppend -Dpgloom.bench.url=postgresql://...
 * </pre>
 */
public final class Server {

    private Server() {
    }

    public static void main(String[] args) throws InterruptedException {
        PgServer server = BenchDb.startServer();
        BenchDb.load(server.uri());
        System.out.println(server.uri());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
