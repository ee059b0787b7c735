-- Masked holders of published projects' households: all the public role sees of a person.
CREATE OR REPLACE VIEW public_holders AS
SELECT h.id, mask_name(h.holder_name) AS holder, mask_id_number(h.holder_id_number) AS id_number
  FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
 WHERE p.published;
GRANT SELECT ON public_holders TO onemap_public;
