-- The rows of one import, as read: checked, repaired and then written in one transaction.
CREATE TEMP TABLE import_rows (
    row        integer PRIMARY KEY,
    code       text,
    floors     integer,
    floor_area numeric(12, 2),
    use        text,
    legality   text,
    land_use   text,
    wkb        bytea,
    notes      text[] NOT NULL DEFAULT '{}',
    -- attributes whose value was refused (reported once, not also as missing)
    refused    text[] NOT NULL DEFAULT '{}',
    -- the row's attributes as the file had them, for the file of rejected rows
    fields     jsonb,
    -- filled by prepare_geometry.sql and locate.sql
    kind       text,
    invalid    text,
    geom       geometry(MultiPolygon, 4326),
    parcel_id  bigint,
    owner      text
) ON COMMIT DROP
