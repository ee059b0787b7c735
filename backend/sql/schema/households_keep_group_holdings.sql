-- Keeps group_holdings (what each group holds now, and how many of those have signed: the
-- group ranking's sign rate) as households change group or cross the signing line; a status
-- write that does neither returns at once.
CREATE OR REPLACE FUNCTION households_keep_group_holdings() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    was_signed integer := CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE (status_rank(OLD.status::text) >= 2)::integer END;
    is_signed  integer := CASE WHEN TG_OP = 'DELETE' THEN 0 ELSE (status_rank(NEW.status::text) >= 2)::integer END;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.group_id IS NOT DISTINCT FROM OLD.group_id AND was_signed = is_signed THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.group_id IS NOT NULL THEN
        UPDATE group_holdings SET households = households - 1, signed = signed - was_signed WHERE group_id = OLD.group_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.group_id IS NOT NULL THEN
        INSERT INTO group_holdings AS g (group_id, households, signed) VALUES (NEW.group_id, 1, is_signed)
        ON CONFLICT (group_id) DO UPDATE SET households = g.households + 1, signed = g.signed + excluded.signed;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER households_keep_group_holdings AFTER INSERT OR DELETE OR UPDATE OF group_id, status ON households
    FOR EACH ROW EXECUTE FUNCTION households_keep_group_holdings();
