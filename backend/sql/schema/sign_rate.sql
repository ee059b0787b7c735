-- The sign rate (签约率) of figures: signed households over households, to four places; NULL
-- where there are no households. The one formula of tiles, figures, rankings, the live feed,
-- the public pages and the OGC API. IMMUTABLE and not STRICT, so it is inlined where called.
CREATE OR REPLACE FUNCTION sign_rate(signed bigint, households bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN households > 0 THEN round(signed::numeric / households, 4) END
$$;
