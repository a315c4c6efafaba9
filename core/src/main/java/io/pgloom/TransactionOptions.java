package io.pgloom;

/**
 * How a transaction starts: isolation level, read-only, deferrable. A null isolation uses the
 * server's default ({@code default_transaction_isolation}).
 *
 * <pre>{@code
 * var options = TransactionOptions.builder()
 *         .isolation(Isolation.SERIALIZABLE).readOnly(true).deferrable(true).build();
 * try (Transaction tx = conn.transaction(options)) { ... }
 * }</pre>
 *
 * @param isolation the isolation level, or null for the server's default
 * @param readOnly whether the transaction may not write
 * @param deferrable whether a serializable read-only transaction may wait for a safe snapshot
 */
public record TransactionOptions(Isolation isolation, boolean readOnly, boolean deferrable) {

    /** The server's defaults: no clause after BEGIN. */
    public static final TransactionOptions DEFAULT = new TransactionOptions(null, false, false);

    public TransactionOptions {
        if (deferrable && !(readOnly && isolation == Isolation.SERIALIZABLE)) {
            throw new PgException("deferrable applies only to a read-only serializable transaction:"
                    + " set isolation(SERIALIZABLE) and readOnly(true) too");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The BEGIN statement that starts a transaction with these options. */
    public String beginStatement() {
        StringBuilder b = new StringBuilder("BEGIN");
        if (isolation != null) {
            b.append(" ISOLATION LEVEL ").append(isolation.sql());
        }
        if (readOnly) {
            b.append(isolation != null ? "," : "").append(" READ ONLY");
        }
        if (deferrable) {
            b.append(", DEFERRABLE");
        }
        return b.toString();
    }

    /** Builds {@link TransactionOptions}; not thread-safe. */
    public static final class Builder {
        private Isolation isolation;
        private boolean readOnly;
        private boolean deferrable;

        private Builder() {
        }

        public Builder isolation(Isolation isolation) {
            this.isolation = isolation;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Builder deferrable(boolean deferrable) {
            this.deferrable = deferrable;
            return this;
        }

        public TransactionOptions build() {
            return new TransactionOptions(isolation, readOnly, deferrable);
        }
    }
}
