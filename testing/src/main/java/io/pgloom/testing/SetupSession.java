package io.pgloom.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The least of the PostgreSQL protocol that setting up a server needs: a startup under trust
 * authentication and simple queries whose first column comes back as text.
 *
 * <p>pgloom-core is the real client, but the servers that test it must not depend on it working;
 * and the zonky binaries ship no psql. Not thread-safe; one per setup step.
 */
final class SetupSession implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;

    private SetupSession(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects over TCP to localhost and logs in; the server must trust this user. */
    static SetupSession open(int port, String user, String database) {
        return open("localhost", port, user, database);
    }

    /** Connects over TCP and logs in; the server must trust this user. */
    static SetupSession open(String host, int port, String user, String database) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            SetupSession session = new SetupSession(socket);
            try {
                session.startup(user, database);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            return session;
        } catch (IOException e) {
            throw new UncheckedIOException("setup connection to " + host + ":" + port + " failed", e);
        }
    }

    private void startup(String user, String database) throws IOException {
        byte[] params = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer msg = ByteBuffer.allocate(8 + params.length);
        msg.putInt(8 + params.length).putInt(196608).put(params); // protocol 3.0
        socket.getOutputStream().write(msg.array());
        readUntilReady(null);
    }

    /** Runs one statement (or several separated by ';') and returns the first column of every row. */
    List<String> query(String sql) {
        try {
            byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
            ByteBuffer msg = ByteBuffer.allocate(5 + text.length);
            msg.put((byte) 'Q').putInt(4 + text.length).put(text);
            socket.getOutputStream().write(msg.array());
            List<String> rows = new ArrayList<>();
            readUntilReady(rows);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("setup query failed: " + sql, e);
        }
    }

    /** Reads messages until ReadyForQuery; an ErrorResponse becomes an exception after it. */
    private void readUntilReady(List<String> rows) throws IOException {
        String error = null;
        while (true) {
            byte type = in.readByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            switch (type) {
                case 'R' -> {
                    int code = ByteBuffer.wrap(body).getInt();
                    if (code != 0) {
                        throw new IOException("setup login needs authentication method " + code
                                + "; the setup connection expects trust");
                    }
                }
                case 'E' -> error = errorText(body);
                case 'D' -> {
                    ByteBuffer row = ByteBuffer.wrap(body);
                    if (rows != null && row.getShort() > 0) {
                        int length = row.getInt();
                        rows.add(length < 0 ? null
                                : new String(body, row.position(), length, StandardCharsets.UTF_8));
                    }
                }
                case 'Z' -> {
                    if (error != null) {
                        throw new IllegalStateException(error);
                    }
                    return;
                }
                default -> {
                    // ParameterStatus, BackendKeyData, RowDescription, CommandComplete, notices: not needed
                }
            }
            if (type == 'E' && rows == null) {
                throw new IOException(error); // a failed startup ends with no ReadyForQuery
            }
        }
    }

    /** "ERROR: message [SQLSTATE]" from an ErrorResponse's fields. */
    private static String errorText(byte[] body) {
        String severity = "";
        String message = "";
        String code = "";
        int start = 0;
        while (start < body.length && body[start] != 0) {
            int end = start + 1;
            while (body[end] != 0) {
                end++;
            }
            String value = new String(body, start + 1, end - start - 1, StandardCharsets.UTF_8);
            switch (body[start]) {
                case 'S' -> severity = value;
                case 'M' -> message = value;
                case 'C' -> code = value;
                default -> { }
            }
            start = end + 1;
        }
        return severity + ": " + message + " [" + code + "]";
    }

    @Override
    public void close() {
        try {
            socket.getOutputStream().write(new byte[] {'X', 0, 0, 0, 4});
        } catch (IOException ignored) {
            // the server may be gone already; closing is all that is left
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
