-- Issue K: daily reconciliation against each provider's bill. When a payment was settled
-- (`paid_at`: the day it belongs to); each run of a provider's day with its counts; the bill's
-- lines as read (so a line settled on our side on a neighbouring day still matches); and each
-- difference found, listed for operators until one of them resolves it with a note.
ALTER TABLE payments ADD COLUMN paid_at BIGINT;
UPDATE payments SET paid_at = updated_at WHERE status IN ('succeeded', 'refunded');
ALTER TABLE recharges ADD COLUMN paid_at BIGINT;
UPDATE recharges SET paid_at = updated_at WHERE status = 'succeeded';
CREATE INDEX payments_paid_at_idx ON payments (provider, paid_at);
CREATE INDEX refunds_updated_at_idx ON refunds (provider, updated_at);

CREATE TABLE reconciliations (
    provider     TEXT NOT NULL,
    bill_date    TEXT NOT NULL,
    status       TEXT NOT NULL,
    lines        BIGINT NOT NULL,
    matched      BIGINT NOT NULL,
    differences  BIGINT NOT NULL,
    fees         BIGINT NOT NULL,
    error        TEXT NOT NULL,
    ran_at       BIGINT NOT NULL,
    CONSTRAINT reconciliations_pkey PRIMARY KEY (provider, bill_date)
);

CREATE TABLE reconciliation_lines (
    provider     TEXT NOT NULL,
    bill_date    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    reference    TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    status       TEXT NOT NULL,
    fee_e5       BIGINT NOT NULL,
    provider_txn TEXT NOT NULL,
    CONSTRAINT reconciliation_lines_pkey PRIMARY KEY (provider, bill_date, kind, reference)
);
CREATE INDEX reconciliation_lines_reference_idx ON reconciliation_lines (provider, kind, reference);

CREATE TABLE reconciliation_items (
    id            TEXT PRIMARY KEY,
    provider      TEXT NOT NULL,
    bill_date     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    reference     TEXT NOT NULL,
    difference    TEXT NOT NULL,
    ours          TEXT NOT NULL,
    theirs        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT,
    resolved_by   TEXT,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reconciliation_items_open_idx ON reconciliation_items (resolved_at, created_at);
CREATE INDEX reconciliation_items_day_idx ON reconciliation_items (provider, bill_date);
