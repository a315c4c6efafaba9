package io.pgloom.codec;

/** The wire format of a value: PostgreSQL's text output or its binary send/receive form. */
public enum Format {
    TEXT(0),
    BINARY(1);

    private final int code;

    Format(int code) {
        this.code = code;
    }

    /** The protocol's format code: 0 for text, 1 for binary. */
    public int code() {
        return code;
    }
}
