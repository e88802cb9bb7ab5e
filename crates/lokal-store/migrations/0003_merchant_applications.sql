-- Businesses apply to join; an operator approves (creating the merchant, its owner grant and its
-- first store) or rejects with a reason.
CREATE TABLE merchant_applications (
    id              TEXT PRIMARY KEY,
    applicant_id    TEXT NOT NULL REFERENCES users (id),
    business_name   TEXT NOT NULL,
    licence_number  TEXT NOT NULL,
    category        TEXT NOT NULL,
    contact_name    TEXT NOT NULL,
    contact_phone   TEXT NOT NULL,
    first_store     TEXT NOT NULL,
    status          TEXT NOT NULL,
    reason          TEXT,
    merchant_id     TEXT REFERENCES merchants (id),
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT,
    decided_by      TEXT REFERENCES users (id)
);
CREATE INDEX merchant_applications_status_idx ON merchant_applications (status, id);
CREATE INDEX merchant_applications_applicant_idx ON merchant_applications (applicant_id, id);
-- One open application per licence: a business cannot queue twice. (Named as SQLite reports a
-- column index, table_column_key, so both backends give the same constraint name.)
CREATE UNIQUE INDEX merchant_applications_licence_number_key ON merchant_applications (licence_number) WHERE status = 'pending';
