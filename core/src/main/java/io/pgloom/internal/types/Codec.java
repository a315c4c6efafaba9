package io.pgloom.internal.types;

import io.pgloom.internal.io.WriteBuffer;

/**
 * Reads and writes the values of one PostgreSQL type, in the binary format where the type has
 * one and always in the text format (which also gives every value its {@code String} form).
 *
 * <p>A decoder sees exactly its own value's bytes, never the rest of the row. Malformed input
 * and unacceptable Java values are reported as a {@link ValueException} with a short reason;
 * the {@link TypeRegistry} turns it into a {@code PgException} naming the parameter or type.
 * Implementations are immutable and thread-safe.
 */
interface Codec {

    /** True when {@link #decodeBinary} and {@link #encodeBinary} work for this type. */
    boolean binary();

    Object decodeBinary(byte[] buf, int offset, int length);

    /** Writes the value's binary form, without a length prefix. */
    void encodeBinary(Object value, WriteBuffer out);

    /** Parses PostgreSQL's text output of a value. */
    Object decodeText(String text);

    /** Formats a value as PostgreSQL's text input (and, as far as we can, as its text output). */
    String encodeText(Object value);

    /** The Java types this codec accepts as parameters, for error messages ("Integer, Long"). */
    String accepts();
}
