-- The rows of one household ledger import, already checked one by one.
CREATE TEMP TABLE ledger_rows (
    row              integer PRIMARY KEY,
    code             text NOT NULL,
    building         text NOT NULL,
    holder_name      text NOT NULL,
    holder_id_number text NOT NULL,
    members          smallint NOT NULL,
    recorded_area    numeric(12, 2) NOT NULL,
    resettlement     resettlement,
    difficult        boolean NOT NULL
) ON COMMIT DROP
