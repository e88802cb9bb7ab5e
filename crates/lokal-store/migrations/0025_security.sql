-- Issue I: an append-only audit log (what operators did, and what looked wrong, such as a rider's
-- implausible position), staff invitations that wait for the invited person's answer (the
-- login they were invited by: a normalised e-mail or an E.164 phone, not yet an account).
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_subject_idx ON audit_log (subject, at);

CREATE TABLE staff_invitations (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    login       TEXT NOT NULL,
    role        TEXT NOT NULL,
    store_ids   TEXT NOT NULL,
    invited_by  TEXT NOT NULL,
    status      TEXT NOT NULL,
    answered_by TEXT,
    created_at  BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE UNIQUE INDEX staff_invitations_open_key ON staff_invitations (merchant_id, login) WHERE status = 'invited';
CREATE INDEX staff_invitations_login_idx ON staff_invitations (login, status);
