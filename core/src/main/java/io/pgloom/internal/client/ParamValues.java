package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.internal.io.WriteBuffer;
import io.pgloom.internal.types.TypeRegistry;
import io.pgloom.internal.wire.Bind;

/**
 * One call's arguments, written straight into the Bind message as the types the server inferred.
 * Encoding errors name {@code $n}; they happen before anything is flushed.
 */
final class ParamValues implements Bind.Values {

    private final Object[] args;
    private final CachedStatement statement;
    private final TypeRegistry types;
    /** For a rewritten batch: parameters per original row (0 when not rewritten), and its first row. */
    private final int rowWidth;
    private final int firstRow;

    ParamValues(Object[] args, CachedStatement statement, TypeRegistry types) {
        this(args, statement, types, 0, 0);
    }

    /**
     * Values of a multi-row insert made from {@code args.length / rowWidth} argument lists, the
     * first being list {@code firstRow}: errors name that list and the {@code $n} the caller wrote.
     */
    ParamValues(Object[] args, CachedStatement statement, TypeRegistry types, int rowWidth, int firstRow) {
        this.args = args;
        this.statement = statement;
        this.types = types;
        this.rowWidth = rowWidth;
        this.firstRow = firstRow;
    }

    /** The most parameters a statement can have: Bind and ParameterDescription count them in 16 bits. */
    static final int MAX_PARAMETERS = 65_535;

    /**
     * Refuses more arguments than the protocol can bind, before the statement is even prepared:
     * the server would describe 65,536 parameters with a count that wraps to zero.
     */
    static void checkLimit(Object[] args) {
        if (args != null && args.length > MAX_PARAMETERS) {
            throw new PgException("a statement takes at most " + MAX_PARAMETERS + " parameters (the protocol counts"
                    + " them in 16 bits), but " + args.length + " arguments were given; split the statement");
        }
    }

    /** Checks the argument count against the statement's parameters, before anything is sent. */
    static void checkCount(Object[] args, CachedStatement statement) {
        int expected = statement.parameterOids.length;
        if (args.length != expected) {
            throw new PgException("the query has " + expected + (expected == 1 ? " parameter" : " parameters")
                    + (expected > 0 ? " ($1" + (expected > 1 ? "..$" + expected : "") + ")" : "")
                    + " but " + args.length + (args.length == 1 ? " argument was" : " arguments were") + " given");
        }
    }

    /**
     * Refuses a value that alone would overflow a message's Int32 length, before copying a byte of
     * it: the message check at the end would catch it too, but only after growing a 2 GiB buffer.
     */
    private static void checkSize(Object value, int index) {
        long size = value instanceof byte[] b ? b.length : value instanceof String s ? s.length() : 0;
        if (size > WriteBuffer.MAX_MESSAGE_LENGTH) {
            throw new PgException("$" + (index + 1) + ": a " + value.getClass().getSimpleName() + " of " + size
                    + (value instanceof String ? " characters" : " bytes") + " exceeds the protocol's limit of "
                    + WriteBuffer.MAX_MESSAGE_LENGTH + " bytes per message");
        }
    }

    @Override
    public int count() {
        return args.length;
    }

    @Override
    public boolean write(int index, WriteBuffer out) {
        Object value = args[index];
        if (value == null) {
            return false;
        }
        if (rowWidth == 0) {
            checkSize(value, index);
            types.encode(statement.parameterOids[index], statement.parameterFormats[index], value, index, out);
            return true;
        }
        int column = index % rowWidth;
        try {
            checkSize(value, column);
            types.encode(statement.parameterOids[index], statement.parameterFormats[index], value, column, out);
        } catch (PgException e) {
            throw new PgException("executeMany: argument list " + (firstRow + index / rowWidth) + ": " + e.getMessage(), e);
        }
        return true;
    }
}
