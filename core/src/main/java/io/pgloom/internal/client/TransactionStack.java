package io.pgloom.internal.client;

import io.pgloom.PgException;
import io.pgloom.TransactionOptions;
import io.pgloom.internal.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * The transactions open on one connection, outermost first: a transaction block, then a
 * savepoint for each nested one. Every end is checked against the stack, so misuse (ending an
 * outer one while an inner one is open, ending one twice) is an error, and the stack is dropped
 * when the server reports that the block ended some other way (SQL, the pool's rollback, a
 * broken connection). Its methods run inside the connection's lock.
 */
final class TransactionStack {

    private final ClientConnection connection;
    private final Session session;
    private final List<ClientTransaction> open = new ArrayList<>();

    TransactionStack(ClientConnection connection, Session session) {
        this.connection = connection;
        this.session = session;
    }

    /** BEGIN (with the options) when none is open, else a SAVEPOINT. */
    ClientTransaction begin(TransactionOptions options) {
        sync();
        if (open.isEmpty()) {
            if (session.transactionStatus() != 'I') {
                throw new PgException("a transaction was started with SQL (BEGIN) and is still open;"
                        + " finish it before calling transaction(), or use transaction() for both");
            }
            // No round trip of its own: BEGIN rides ahead of the transaction's first statement.
            session.queueBegin(options.beginStatement());
            ClientTransaction tx = new ClientTransaction(connection, null, 0);
            open.add(tx);
            return tx;
        }
        if (!options.equals(TransactionOptions.DEFAULT)) {
            throw new PgException("a nested transaction is a savepoint and cannot set isolation, read only"
                    + " or deferrable; those belong to the outermost transaction");
        }
        int depth = open.size();
        String savepoint = "pgloom_sp_" + depth;
        session.simpleQuery("SAVEPOINT " + savepoint);
        ClientTransaction tx = new ClientTransaction(connection, savepoint, depth);
        open.add(tx);
        return tx;
    }

    /** Commits or rolls back {@code tx}, which must be the innermost open one. */
    void end(ClientTransaction tx, boolean commit) {
        sync();
        if (!tx.isActive()) {
            throw new PgException(tx.endedHow());
        }
        ClientTransaction innermost = open.get(open.size() - 1);
        if (innermost != tx) {
            throw new PgException("an inner transaction (savepoint " + innermost.savepoint()
                    + ") is still open: commit or roll it back before ending this one");
        }
        if (tx.savepoint() == null) {
            endTopLevel(tx, commit);
        } else {
            endSavepoint(tx, commit);
        }
    }

    private void endTopLevel(ClientTransaction tx, boolean commit) {
        byte statusBefore = session.transactionStatus();
        if (session.dropQueuedBegin()) {
            // Nothing ran: the BEGIN was never sent, so there is nothing to end on the server.
            open.remove(tx);
            tx.markEnded(commit ? "the transaction was already committed" : "the transaction was already rolled back");
            return;
        }
        try {
            String tag = session.simpleQuery(commit ? "COMMIT" : "ROLLBACK");
            if (commit && "ROLLBACK".equals(tag)) {
                throw new PgException("COMMIT was turned into ROLLBACK: the transaction had failed earlier"
                        + (statusBefore == 'E' ? " (an error in one of its statements)" : "")
                        + "; nothing of it was kept");
            }
        } finally {
            // Whatever happened, the server has ended the block (or the connection is gone).
            open.remove(tx);
            tx.markEnded(commit ? "the transaction was already committed (or its commit failed)"
                    : "the transaction was already rolled back");
        }
    }

    private void endSavepoint(ClientTransaction tx, boolean commit) {
        String name = tx.savepoint();
        if (commit) {
            session.simpleQuery("RELEASE SAVEPOINT " + name);
            open.remove(tx);
            tx.markEnded("the nested transaction was already committed");
        } else {
            session.simpleQuery("ROLLBACK TO SAVEPOINT " + name + "; RELEASE SAVEPOINT " + name);
            open.remove(tx);
            tx.markEnded("the nested transaction was already rolled back");
        }
    }

    /**
     * Marks the transactions nested inside {@code tx} ended (rolling {@code tx} back discards
     * them: ROLLBACK TO its savepoint, or ROLLBACK of the block); true when there were any.
     */
    boolean endInnerOnesOf(ClientTransaction tx) {
        int index = open.indexOf(tx);
        boolean any = index >= 0 && index < open.size() - 1;
        for (int i = open.size() - 1; any && i > index; i--) {
            open.get(i).markEnded("the nested transaction was rolled back when an outer one closed");
            open.remove(i);
        }
        return any;
    }

    /** Drops our record of transactions the server no longer has (ended with SQL, or by the pool). */
    void sync() {
        // BUSY is a cursor holding the session: its transaction goes on.
        var state = session.state();
        boolean gone = state == io.pgloom.internal.session.SessionState.BROKEN
                || state == io.pgloom.internal.session.SessionState.CLOSED;
        if (!open.isEmpty() && (session.transactionStatus() == 'I' || gone)) {
            markAllEnded("the transaction was ended outside this Transaction object");
        }
    }

    void markAllEnded(String how) {
        for (ClientTransaction t : open) {
            t.markEnded(how);
        }
        open.clear();
    }
}
