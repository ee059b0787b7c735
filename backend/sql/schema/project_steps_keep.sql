-- Keeps projects.stage equal to procedure_stage(project, 'infinity') whenever a step is added or changes state.
CREATE OR REPLACE FUNCTION project_steps_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects SET stage = procedure_stage(NEW.project_id, 'infinity')
     WHERE id = NEW.project_id AND stage IS DISTINCT FROM procedure_stage(NEW.project_id, 'infinity');
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER project_steps_keep AFTER INSERT OR UPDATE OF state, actual_end ON project_steps
    FOR EACH ROW EXECUTE FUNCTION project_steps_keep();
