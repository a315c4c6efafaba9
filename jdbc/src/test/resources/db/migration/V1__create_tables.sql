-- Flyway splits this file itself; each statement reaches the driver through Statement.execute.
CREATE TABLE fw_customer (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    note text DEFAULT 'what? this; that'
);

CREATE TABLE fw_order (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES fw_customer (id),
    total numeric(12, 2) NOT NULL
);
CREATE INDEX fw_order_customer ON fw_order (customer_id);
