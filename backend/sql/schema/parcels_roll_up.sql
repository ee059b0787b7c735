-- Keeps the figures' land acquired and delivered as parcels change status.
CREATE OR REPLACE FUNCTION parcels_roll_up() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_figures(NEW.project_id,
        d_land_acquired_m2 => NEW.area_m2 * ((NEW.land_status >= 'acquired')::integer - (OLD.land_status >= 'acquired')::integer),
        d_land_delivered_m2 => NEW.area_m2 * ((NEW.land_status >= 'delivered')::integer - (OLD.land_status >= 'delivered')::integer));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER parcels_roll_up AFTER UPDATE OF land_status ON parcels
    FOR EACH ROW EXECUTE FUNCTION parcels_roll_up();
