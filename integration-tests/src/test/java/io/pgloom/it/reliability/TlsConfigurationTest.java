package io.pgloom.it.reliability;

import io.pgloom.ConnectOptions;
import io.pgloom.PgConnection;
import io.pgloom.PgException;
import io.pgloom.SslMode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A TLS configuration error is reported before any TCP connection is opened. */
class TlsConfigurationTest {

    @Test
    void verifyFullWithoutACaReportsBeforeOpeningTcp() throws Exception {
        Path missing = Files.createTempDirectory("pgloom-no-ca").resolve("root.crt");
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            for (SslMode mode : new SslMode[] {SslMode.VERIFY_FULL, SslMode.VERIFY_CA}) {
                ConnectOptions options = ConnectOptions.builder().host("127.0.0.1").port(port).user("u").database("d")
                        .sslMode(mode).sslRootCert(missing.toString()).build();
                PgException e = catchThrowableOfType(PgException.class, () -> PgConnection.connect(options));
                assertThat(e).as(mode.name()).isNotNull();
                assertThat(e.getMessage()).contains(missing.toString());
            }
            assertThat(listener.accept()).as("a TCP connection reached the listener").isNull();
        }
    }
}
