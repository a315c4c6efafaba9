INSERT INTO fw_customer (email) VALUES ('ann@example.com'), ('bob@example.com');
INSERT INTO fw_order (customer_id, total)
SELECT c.id, 10.50 FROM fw_customer c WHERE c.email = 'ann@example.com';
