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

    ParamValues(Object[] args, CachedStatement statement, TypeRegistry types) {
        this.args = args;
        this.statement = statement;
        this.types = types;
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
        types.encode(statement.parameterOids[index], statement.parameterFormats[index], value, index, out);
        return true;
    }
}
