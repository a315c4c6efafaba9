package io.pgloom.internal.wire;

import io.pgloom.internal.io.WriteBuffer;

/** PasswordMessage ('p'): a cleartext or MD5-hashed password, NUL-terminated. */
public record PasswordMessage(String password) implements FrontendMessage {

    @Override
    public void encode(WriteBuffer out) {
        int lengthAt = out.startMessage((byte) 'p');
        out.writeCString(password);
        out.endMessage(lengthAt);
    }

    @Override
    public String toString() {
        return "PasswordMessage[***]";
    }
}
