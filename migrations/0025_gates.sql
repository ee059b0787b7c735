-- The gates a project's procedure sets on its data (docs/procedure.md, "Gates"): admins'
-- overrides of a gate, and the 补偿决定 made for households still unsigned after the signing
-- period. The checks themselves live in backend/sql/schema/ (gate_state.sql,
-- households_status_gates.sql).

CREATE TYPE gate_override_action AS ENUM ('grant', 'revoke');

-- Append-only: a grant opens the gate whatever its step and funds, a later revoke closes it
-- again. A gate's override in force is its newest row when that row is a grant.
CREATE TABLE gate_overrides (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id),
    gate       step_gate NOT NULL,
    action     gate_override_action NOT NULL,
    reason     text NOT NULL CHECK (length(btrim(reason)) BETWEEN 4 AND 500),
    user_id    integer REFERENCES users (id),
    at         timestamptz NOT NULL DEFAULT now()
);
-- the gate check's one lookup: the newest row of (project, gate)
CREATE INDEX gate_overrides_newest ON gate_overrides (project_id, gate, id DESC);

-- The step of a template that opens a gate, found by the gate check without reading the
-- template's other steps.
CREATE INDEX procedure_template_steps_opens ON procedure_template_steps (template_id, opens) WHERE opens IS NOT NULL;

-- 补偿决定: made for a household that did not sign within the signing period. One in force per
-- household; revoking one (with a reason) keeps the row, so a new decision can follow and the
-- old one stays on file. Only the revocation columns are ever updated (see the grants).
CREATE TABLE compensation_decisions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id  bigint NOT NULL REFERENCES households (id),
    -- the day the decision was made (Beijing) and its document number (文号)
    decided_on    date NOT NULL,
    document_no   text NOT NULL CHECK (length(btrim(document_no)) BETWEEN 2 AND 80),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    user_id       integer REFERENCES users (id),
    at            timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    revoked_by    integer REFERENCES users (id),
    revoke_reason text,
    CONSTRAINT compensation_decision_revoked_with_reason
        CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL) AND (revoke_reason IS NULL OR length(btrim(revoke_reason)) >= 4))
);
CREATE UNIQUE INDEX compensation_decision_once ON compensation_decisions (household_id) WHERE revoked_at IS NULL;

GRANT SELECT, INSERT ON gate_overrides TO onemap_app;
GRANT SELECT, INSERT ON compensation_decisions TO onemap_app;
GRANT UPDATE (revoked_at, revoked_by, revoke_reason) ON compensation_decisions TO onemap_app;
