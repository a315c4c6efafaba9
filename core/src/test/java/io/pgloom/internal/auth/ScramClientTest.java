package io.pgloom.internal.auth;

import io.pgloom.ConnectOptions.ChannelBinding;
import io.pgloom.PgException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramClientTest {

    private static final String RFC_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String RFC_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String RFC_CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramClient rfcClient() {
        return new ScramClient(ScramClient.SCRAM_SHA_256, "n,,", null, "pencil", "user", RFC_CLIENT_NONCE);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677TestVector() {
        ScramClient scram = rfcClient();
        assertThat(text(scram.clientFirstMessage())).isEqualTo("n,,n=user,r=" + RFC_CLIENT_NONCE);
        assertThat(text(scram.clientFinalMessage(utf8(RFC_SERVER_FIRST)))).isEqualTo(RFC_CLIENT_FINAL);
        assertThatNoException().isThrownBy(() -> scram.verifyServerFinal(utf8(RFC_SERVER_FINAL)));
    }

    @Test
    void refusesAServerNonceThatDoesNotExtendOurs() {
        ScramClient scram = rfcClient();
        scram.clientFirstMessage();
        assertThatThrownBy(() -> scram.clientFinalMessage(utf8("r=XXXXNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
                .isInstanceOf(PgException.class).hasMessageContaining("nonce");
    }

    @Test
    void refusesAServerNonceEqualToOurs() {
        ScramClient scram = rfcClient();
        scram.clientFirstMessage();
        assertThatThrownBy(() -> scram.clientFinalMessage(utf8("r=" + RFC_CLIENT_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
                .isInstanceOf(PgException.class).hasMessageContaining("nonce");
    }

    @Test
    void refusesBadIterationCountsAndSalts() {
        String nonce = "r=" + RFC_CLIENT_NONCE + "abc";
        for (String bad : List.of(nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
                nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-5",
                nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=many")) {
            ScramClient scram = rfcClient();
            scram.clientFirstMessage();
            assertThatThrownBy(() -> scram.clientFinalMessage(utf8(bad))).isInstanceOf(PgException.class)
                    .hasMessageContaining("iteration count");
        }
        for (String bad : List.of(nonce + ",s=,i=4096", nonce + ",s=***,i=4096")) {
            ScramClient scram = rfcClient();
            scram.clientFirstMessage();
            assertThatThrownBy(() -> scram.clientFinalMessage(utf8(bad))).isInstanceOf(PgException.class)
                    .hasMessageContaining("salt");
        }
        ScramClient scram = rfcClient();
        scram.clientFirstMessage();
        assertThatThrownBy(() -> scram.clientFinalMessage(utf8("s=W22ZaJ0SNY7soEsUEjb6gQ==," + nonce + ",i=4096")))
                .isInstanceOf(PgException.class).hasMessageContaining("\"r=\"");
    }

    @Test
    void refusesAWrongServerSignature() {
        ScramClient scram = rfcClient();
        scram.clientFirstMessage();
        scram.clientFinalMessage(utf8(RFC_SERVER_FIRST));
        byte[] signature = Base64.getDecoder().decode(RFC_SERVER_FINAL.substring(2));
        signature[5] ^= 1;
        assertThatThrownBy(() -> scram.verifyServerFinal(utf8("v=" + Base64.getEncoder().encodeToString(signature))))
                .isInstanceOf(PgException.class).hasMessageContaining("signature is wrong");
    }

    @Test
    void reportsTheServersError() {
        ScramClient scram = rfcClient();
        scram.clientFirstMessage();
        scram.clientFinalMessage(utf8(RFC_SERVER_FIRST));
        assertThatThrownBy(() -> scram.verifyServerFinal(utf8("e=invalid-proof")))
                .isInstanceOf(PgException.class).hasMessageContaining("invalid-proof");
    }

    @Test
    void plusSendsTheCertificateHashInTheBindingData() {
        byte[] hash = new byte[32];
        for (int i = 0; i < hash.length; i++) {
            hash[i] = (byte) i;
        }
        ScramClient scram = ScramClient.create(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"), "pencil",
                ChannelBinding.PREFER, hash);
        assertThat(scram.mechanism()).isEqualTo("SCRAM-SHA-256-PLUS");
        String first = text(scram.clientFirstMessage());
        assertThat(first).startsWith("p=tls-server-end-point,,n=,r=");
        String clientNonce = first.substring("p=tls-server-end-point,,n=,r=".length());
        assertThat(clientNonce).hasSize(24);

        String finalMessage = text(scram.clientFinalMessage(
                utf8("r=" + clientNonce + "server,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")));
        String c = finalMessage.substring(2, finalMessage.indexOf(','));
        byte[] cbind = Base64.getDecoder().decode(c);
        byte[] header = utf8("p=tls-server-end-point,,");
        assertThat(cbind).hasSize(header.length + 32);
        assertThat(java.util.Arrays.copyOf(cbind, header.length)).isEqualTo(header);
        assertThat(java.util.Arrays.copyOfRange(cbind, header.length, cbind.length)).isEqualTo(hash);
    }

    @Test
    void saysYesWhenItCouldBindButTheServerDidNotOfferPlus() {
        ScramClient scram = ScramClient.create(List.of("SCRAM-SHA-256"), "pw", ChannelBinding.PREFER, new byte[32]);
        assertThat(scram.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(text(scram.clientFirstMessage())).startsWith("y,,n=,r=");
    }

    @Test
    void saysNoWithoutTlsOrWhenBindingIsDisabled() {
        ScramClient noTls = ScramClient.create(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"), "pw",
                ChannelBinding.PREFER, null);
        assertThat(noTls.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(text(noTls.clientFirstMessage())).startsWith("n,,n=,r=");

        ScramClient disabled = ScramClient.create(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"), "pw",
                ChannelBinding.DISABLE, new byte[32]);
        assertThat(disabled.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(text(disabled.clientFirstMessage())).startsWith("n,,n=,r=");
    }

    @Test
    void requireRefusesWithoutTls() {
        assertThatThrownBy(() -> ScramClient.create(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"), "pw",
                ChannelBinding.REQUIRE, null))
                .isInstanceOf(PgException.class).hasMessageContaining("channel_binding=require")
                .hasMessageContaining("not TLS")
                .satisfies(e -> assertThat(((PgException) e).sqlState()).isNull());
    }

    @Test
    void requireRefusesWhenTheServerDoesNotOfferPlus() {
        assertThatThrownBy(() -> ScramClient.create(List.of("SCRAM-SHA-256"), "pw", ChannelBinding.REQUIRE, new byte[32]))
                .isInstanceOf(PgException.class).hasMessageContaining("did not offer SCRAM-SHA-256-PLUS");
    }

    @Test
    void namesWhatTheServerOfferedWhenNothingIsUsable() {
        assertThatThrownBy(() -> ScramClient.create(List.of("SCRAM-SHA-1", "OAUTHBEARER"), "pw", ChannelBinding.PREFER, null))
                .isInstanceOf(PgException.class).hasMessageContaining("SCRAM-SHA-1").hasMessageContaining("OAUTHBEARER");
    }

    @Test
    void hiMatchesPbkdf2OnUtf8Bytes() {
        // Expected values from Python's hashlib.pbkdf2_hmac('sha256', ...), an independent implementation.
        assertThat(HexFormat.of().formatHex(ScramClient.hi(utf8("pässwörd"), utf8("NaCl-salt"), 4096)))
                .isEqualTo("f850b2086768ded6bff2b16974c813c3ddc0e5869fccc0686f39b1f3c2f638be");
        assertThat(HexFormat.of().formatHex(ScramClient.hi(new byte[0], utf8("NaCl-salt"), 3)))
                .isEqualTo("56b9ca315a5c5d3ce7e40296af23fecfd0bebb91d48717197e4106e11dc79393");
    }

    @Test
    void methodsMustBeCalledInOrder() {
        ScramClient scram = rfcClient();
        assertThatThrownBy(() -> scram.verifyServerFinal(utf8(RFC_SERVER_FINAL)))
                .isInstanceOf(PgException.class).hasMessageContaining("out of order");
    }
}
