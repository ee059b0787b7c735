-- 拨入: money received adds to the project's allocated sum.
CREATE OR REPLACE FUNCTION fund_allocations_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project_funds SET allocated_yuan = allocated_yuan + NEW.yuan WHERE project_id = NEW.project_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER fund_allocations_add AFTER INSERT ON fund_allocations
    FOR EACH ROW EXECUTE FUNCTION fund_allocations_add();
