package io.pgloom.it.faults;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback listener that stalls a client at a chosen point of the start: it never accepts
 * (the kernel completes the TCP handshake, nothing answers), accepts TLS and then says nothing,
 * or runs SCRAM up to the server-first message and then says nothing.
 */
final class StallingListener implements AutoCloseable {

    enum StallAt { BEFORE_ACCEPT, TLS_HANDSHAKE, AFTER_SCRAM_SERVER_FIRST }

    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    StallingListener(StallAt at) throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        if (at != StallAt.BEFORE_ACCEPT) {
            Thread.ofVirtual().start(() -> serve(at));
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(StallAt at) {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                held.add(s);
                Thread.ofVirtual().start(() -> stall(s, at));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void stall(Socket s, StallAt at) {
        try {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] first = readPacket(in);
            if (at == StallAt.TLS_HANDSHAKE) {
                out.write('S'); // agree to TLS, then never answer the ClientHello
                out.flush();
            } else {
                if (ByteBuffer.wrap(first).getInt() == 80877103) { // SSLRequest: no TLS here
                    out.write('N');
                    out.flush();
                    readPacket(in);
                }
                byte[] mechanisms = "SCRAM-SHA-256\0\0".getBytes(StandardCharsets.US_ASCII);
                out.write(authentication(10, mechanisms));
                out.flush();
                if (in.readByte() != 'p') {
                    return;
                }
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                String text = new String(body, StandardCharsets.UTF_8);
                String nonce = text.substring(text.indexOf("r=") + 2);
                byte[] serverFirst = ("r=" + nonce + "srv,s=AAAAAAAAAAAAAAAAAAAAAA==,i=4096")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(authentication(11, serverFirst));
                out.flush();
            }
            while (in.read() >= 0) {
                // say nothing; wait for the client to give up
            }
        } catch (IOException e) {
            // the client gave up
        }
    }

    private static byte[] readPacket(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        return body;
    }

    private static byte[] authentication(int code, byte[] data) {
        return ByteBuffer.allocate(9 + data.length).put((byte) 'R').putInt(8 + data.length).putInt(code).put(data)
                .array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
