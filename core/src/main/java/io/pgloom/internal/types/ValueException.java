package io.pgloom.internal.types;

/**
 * Why a codec refused a value or a byte sequence: a short reason, without a stack trace, that
 * the {@link TypeRegistry} wraps into a {@code PgException} naming the parameter and the type.
 * A null reason means "this Java type is not accepted at all".
 */
final class ValueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ValueException(String reason) {
        super(reason, null, false, false);
    }

    /** The value's Java type is not one the codec accepts. */
    static ValueException unsupported() {
        return new ValueException(null);
    }

    static ValueException malformed(String what) {
        return new ValueException("malformed " + what);
    }
}
