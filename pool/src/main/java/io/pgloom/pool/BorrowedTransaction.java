package io.pgloom.pool;

import io.pgloom.Transaction;

/**
 * A transaction started through a borrowed connection. It dies with the borrow: once the
 * connection is back in the pool (which rolled the transaction back), commit and rollback throw
 * and close does nothing, so a stale object can never end another borrower's transaction.
 */
final class BorrowedTransaction implements Transaction {

    private final BorrowedConnection borrowed;
    private final Transaction transaction;

    BorrowedTransaction(BorrowedConnection borrowed, Transaction transaction) {
        this.borrowed = borrowed;
        this.transaction = transaction;
    }

    @Override
    public void commit() {
        borrowed.checkHeld();
        transaction.commit();
    }

    @Override
    public void rollback() {
        borrowed.checkHeld();
        transaction.rollback();
    }

    @Override
    public boolean isActive() {
        return !borrowed.isClosed() && transaction.isActive();
    }

    @Override
    public void close() {
        // After release the pool has already rolled it back: nothing is left to do, and
        // try-with-resources must not fail over it.
        if (!borrowed.isClosed()) {
            transaction.close();
        }
    }

    @Override
    public String toString() {
        return transaction + (borrowed.isClosed() ? " (connection released)" : "");
    }
}
