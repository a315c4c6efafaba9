package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.Transaction;

/**
 * A transaction block (savepoint == null) or a savepoint inside one. The connection keeps them
 * in a stack and checks every end against it, so misuse is an error rather than a surprise.
 */
final class ClientTransaction implements Transaction {

    private final ClientConnection connection;
    private final String savepoint;
    private final int depth;
    private volatile String endedHow;

    ClientTransaction(ClientConnection connection, String savepoint, int depth) {
        this.connection = connection;
        this.savepoint = savepoint;
        this.depth = depth;
    }

    @Override
    public void commit() {
        if (endedHow != null) {
            throw new PgException("cannot commit: " + endedHow);
        }
        connection.endTransaction(this, true);
    }

    @Override
    public void rollback() {
        if (endedHow != null) {
            throw new PgException("cannot roll back: " + endedHow);
        }
        connection.endTransaction(this, false);
    }

    @Override
    public boolean isActive() {
        return endedHow == null;
    }

    @Override
    public void close() {
        connection.closeTransaction(this);
    }

    String savepoint() {
        return savepoint;
    }

    int depth() {
        return depth;
    }

    String endedHow() {
        return endedHow;
    }

    void markEnded(String how) {
        if (endedHow == null) {
            endedHow = how;
        }
    }

    @Override
    public String toString() {
        return (savepoint == null ? "Transaction" : "Savepoint " + savepoint) + (isActive() ? " (active)" : " (ended)");
    }
}
