-- A new project starts the newest version of its kind's procedure template, every step not started.
CREATE OR REPLACE FUNCTION projects_start_procedure() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    template integer;
BEGIN
    SELECT id INTO template FROM procedure_templates WHERE kind = NEW.kind ORDER BY version DESC LIMIT 1;
    IF template IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO project_procedures (project_id, template_id) VALUES (NEW.id, template);
    INSERT INTO project_steps (project_id, key)
    SELECT NEW.id, key FROM procedure_template_steps WHERE template_id = template ORDER BY seq;
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER projects_start_procedure AFTER INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_start_procedure();
