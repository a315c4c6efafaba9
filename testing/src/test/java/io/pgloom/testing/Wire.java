package io.pgloom.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Raw protocol exchanges for this module's tests: the pgloom client is tested elsewhere, and a
 * test server must be shown to work without it.
 */
final class Wire implements AutoCloseable {

    /** One backend message: its type byte and body. */
    record Message(char type, byte[] body) {
        int int32(int offset) {
            return ByteBuffer.wrap(body).getInt(offset);
        }

        /** An ErrorResponse's field, e.g. 'C' for the SQLSTATE. */
        String field(char code) {
            int i = 0;
            while (i < body.length && body[i] != 0) {
                int end = i + 1;
                while (body[end] != 0) {
                    end++;
                }
                if (body[i] == code) {
                    return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
                }
                i = end + 1;
            }
            return null;
        }
    }

    private Socket socket;
    private SocketChannel unixChannel;
    private DataInputStream in;
    private DataOutputStream out;

    private Wire(Socket socket) throws IOException {
        use(socket);
    }

    private Wire(SocketChannel unixChannel) {
        this.unixChannel = unixChannel;
        this.in = new DataInputStream(Channels.newInputStream(unixChannel));
        this.out = new DataOutputStream(Channels.newOutputStream(unixChannel));
    }

    /** Connects to the server's Unix socket in {@code directory}. */
    static Wire connectUnix(Path directory, int port) throws IOException {
        return new Wire(SocketChannel.open(UnixDomainSocketAddress.of(directory.resolve(".s.PGSQL." + port))));
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(10_000);
        this.in = new DataInputStream(s.getInputStream());
        this.out = new DataOutputStream(s.getOutputStream());
    }

    static Wire connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        return new Wire(socket);
    }

    /** Sends SSLRequest and returns the server's one-byte answer, 'S' or 'N'. */
    char sslRequest() throws IOException {
        out.writeInt(8);
        out.writeInt(80877103);
        out.flush();
        return (char) in.readByte();
    }

    /**
     * After an 'S': TLS over this socket, verifying the server's certificate against the CA and
     * its name against {@code host} as HTTPS does; with a client certificate when {@code key} is set.
     */
    SSLSocket startTls(String host, Path ca, Path clientCert, Path clientKey) throws Exception {
        SSLSocket tls = (SSLSocket) context(ca, clientCert, clientKey).getSocketFactory()
                .createSocket(socket, host, socket.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.startHandshake();
        use(tls);
        return tls;
    }

    private static SSLContext context(Path ca, Path clientCert, Path clientKey) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var stream = Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", x509.generateCertificate(stream));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            String pem = Files.readString(clientKey).replaceAll("-----[A-Z ]+-----|\\s", "");
            var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            Certificate cert;
            try (var stream = Files.newInputStream(clientCert)) {
                cert = x509.generateCertificate(stream);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** Sends a protocol 3.0 StartupMessage. */
    void startup(String user, String database) throws IOException {
        byte[] params = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        out.writeInt(8 + params.length);
        out.writeInt(3 << 16);
        out.write(params);
        out.flush();
    }

    /** Sends a PasswordMessage (cleartext or md5 text). */
    void password(String text) throws IOException {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(4 + bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** The md5 method's answer: "md5" + md5(md5(password + user) + salt), in hex. */
    static String md5Answer(String user, String password, byte[] salt) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        String inner = HexFormat.of().formatHex(md5.digest((password + user).getBytes(StandardCharsets.UTF_8)));
        md5.update(inner.getBytes(StandardCharsets.US_ASCII));
        md5.update(salt);
        return "md5" + HexFormat.of().formatHex(md5.digest());
    }

    Message read() throws IOException {
        char type = (char) in.readByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        return new Message(type, body);
    }

    /** Reads until ReadyForQuery or an ErrorResponse and returns that last message. */
    Message readUntilReadyOrError() throws IOException {
        while (true) {
            Message m = read();
            if (m.type() == 'Z' || m.type() == 'E') {
                return m;
            }
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        } else {
            unixChannel.close();
        }
    }
}
