-- A unit's status change stamps status_at with the moment (unless the writer set it itself),
-- so every writer (the desk, the selection day, an import) dates the change the same way.
CREATE OR REPLACE FUNCTION estate_units_stamp_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status_at = OLD.status_at THEN
        NEW.status_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER estate_units_stamp_status BEFORE UPDATE OF status ON estate_units
    FOR EACH ROW EXECUTE FUNCTION estate_units_stamp_status();
