-- lineage is derived, never supplied: parent's lineage plus self
CREATE OR REPLACE FUNCTION regions_set_lineage() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.lineage := coalesce((SELECT lineage FROM regions WHERE id = NEW.parent_id), '{}') || NEW.id;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER regions_set_lineage BEFORE INSERT OR UPDATE OF parent_id ON regions
    FOR EACH ROW EXECUTE FUNCTION regions_set_lineage();
