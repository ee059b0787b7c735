-- Every project has its project_funds row from the start.
CREATE OR REPLACE FUNCTION projects_fund_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_funds (project_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER projects_fund_row AFTER INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_fund_row();
