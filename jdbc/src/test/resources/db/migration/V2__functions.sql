-- A PL/pgSQL body with ? and ; inside its dollar quotes.
CREATE FUNCTION fw_is_question(t text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    mark text := '?';
BEGIN
    IF t LIKE '%' || mark THEN
        RETURN true;   -- ends with a ?
    END IF;
    RETURN false;
END;
$$;

CREATE FUNCTION fw_order_count(c bigint) RETURNS bigint
LANGUAGE sql STABLE AS $body$ SELECT count(*) FROM fw_order WHERE customer_id = c; $body$;
