-- 一周一通报: the weekly reports the server generated (every Monday for the city and each
-- district), one row per region and week; the PDF itself lives in the file store under its SHA-256.
CREATE TABLE weekly_reports (
    region_id integer NOT NULL REFERENCES regions (id) ON DELETE CASCADE,
    -- the Monday the week starts (Beijing)
    week date NOT NULL CHECK (extract(isodow FROM week) = 1),
    -- the instance generating it took it at this time: another waits, or takes it over when stale
    claimed_at timestamptz NOT NULL DEFAULT now(),
    -- set once the PDF is stored
    generated_at timestamptz,
    bytes integer CHECK (bytes > 0),
    sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    pages integer CHECK (pages > 0),
    PRIMARY KEY (region_id, week),
    CHECK ((generated_at IS NULL) = (sha256 IS NULL) AND (sha256 IS NULL) = (bytes IS NULL))
);
CREATE INDEX weekly_reports_week ON weekly_reports (week DESC);

GRANT SELECT, INSERT, UPDATE ON weekly_reports TO onemap_app;
