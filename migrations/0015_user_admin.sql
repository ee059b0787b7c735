-- Administration from the /admin/ page (docs/security.md): disabled accounts, last logins, when a
-- kiosk token was last used, and indexes for the audit trail's filters (who, what, when).

-- A disabled account cannot log in and has no sessions; it stays for the audit trail's sake.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
ALTER TABLE users ADD COLUMN last_login_at timestamptz;
ALTER TABLE kiosk_tokens ADD COLUMN last_used_at timestamptz;

CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);
-- staff's status writes are part of the trail; the generated history (no user) is not
CREATE INDEX status_events_user ON status_events (user_id, id) WHERE user_id IS NOT NULL;
