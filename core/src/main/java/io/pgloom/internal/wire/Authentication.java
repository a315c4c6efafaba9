package io.pgloom.internal.wire;

import io.pgloom.internal.io.ReadBuffer;
import io.pgloom.internal.io.WriteBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Authentication ('R'): one message type whose Int32 code says what the server wants next.
 */
public sealed interface Authentication extends BackendMessage {

    int OK = 0, KERBEROS_V5 = 2, CLEARTEXT = 3, MD5 = 5, GSS = 7, GSS_CONTINUE = 8, SSPI = 9,
            SASL = 10, SASL_CONTINUE = 11, SASL_FINAL = 12;

    /** AuthenticationOk: the server accepted us. */
    record Ok() implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            write(out, OK, null);
        }
    }

    /** AuthenticationCleartextPassword. */
    record CleartextPassword() implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            write(out, CLEARTEXT, null);
        }
    }

    /** AuthenticationMD5Password with its 4-byte salt. */
    record Md5Password(byte[] salt) implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            write(out, MD5, salt);
        }
    }

    /** AuthenticationSASL: the mechanisms the server offers, in its order of preference. */
    record Sasl(List<String> mechanisms) implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            int lengthAt = out.startMessage((byte) 'R');
            out.writeInt(SASL);
            for (String m : mechanisms) {
                out.writeCString(m);
            }
            out.writeByte(0);
            out.endMessage(lengthAt);
        }
    }

    /** AuthenticationSASLContinue: SCRAM's server-first-message. */
    record SaslContinue(byte[] data) implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            write(out, SASL_CONTINUE, data);
        }
    }

    /** AuthenticationSASLFinal: SCRAM's server-final-message. */
    record SaslFinal(byte[] data) implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            write(out, SASL_FINAL, data);
        }
    }

    /** A method pgloom does not speak (Kerberos, GSSAPI, SSPI). */
    record Unsupported(int code) implements Authentication {
        @Override
        public void encode(WriteBuffer out) {
            write(out, code, null);
        }

        /** The method's name, for an error message. */
        public String methodName() {
            return switch (code) {
                case KERBEROS_V5 -> "Kerberos V5";
                case GSS, GSS_CONTINUE -> "GSSAPI";
                case SSPI -> "SSPI";
                default -> "method " + code;
            };
        }
    }

    static Authentication decode(ReadBuffer in) {
        int code = in.readInt();
        return switch (code) {
            case OK -> new Ok();
            case CLEARTEXT -> new CleartextPassword();
            case MD5 -> new Md5Password(in.readBytes(4));
            case SASL -> {
                List<String> mechanisms = new ArrayList<>();
                for (String m = in.readCString(); !m.isEmpty(); m = in.readCString()) {
                    mechanisms.add(m);
                }
                yield new Sasl(mechanisms);
            }
            case SASL_CONTINUE -> new SaslContinue(in.readBytes(in.remaining()));
            case SASL_FINAL -> new SaslFinal(in.readBytes(in.remaining()));
            default -> new Unsupported(code);
        };
    }

    private static void write(WriteBuffer out, int code, byte[] data) {
        int lengthAt = out.startMessage((byte) 'R');
        out.writeInt(code);
        if (data != null) {
            out.writeBytes(data);
        }
        out.endMessage(lengthAt);
    }
}
