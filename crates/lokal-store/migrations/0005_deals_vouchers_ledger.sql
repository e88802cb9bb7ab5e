-- Group-buy deals, orders, payments, vouchers, redemptions, refunds, the double-entry ledger and
-- the notification outbox (issue C). Flags are BIGINT 0/1 and times epoch milliseconds, as elsewhere.
ALTER TABLE merchants ADD COLUMN commission_bp BIGINT NOT NULL DEFAULT 800;

CREATE TABLE deals (
    id               TEXT PRIMARY KEY,
    merchant_id      TEXT NOT NULL REFERENCES merchants (id),
    title            TEXT NOT NULL,
    details_json     TEXT NOT NULL,
    price            BIGINT NOT NULL,
    original_price   BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    sale_starts_at   BIGINT NOT NULL,
    sale_ends_at     BIGINT NOT NULL,
    valid_from       BIGINT NOT NULL,
    valid_until      BIGINT NOT NULL,
    uses_per_voucher BIGINT NOT NULL,
    stock_total      BIGINT NOT NULL,
    stock_left       BIGINT NOT NULL,
    per_user_limit   BIGINT NOT NULL,
    refundable       BIGINT NOT NULL,
    auto_refund      BIGINT NOT NULL,
    flash_sale       BIGINT NOT NULL,
    status           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX deals_merchant_id_idx ON deals (merchant_id, id);

CREATE TABLE deal_stores (
    deal_id  TEXT NOT NULL REFERENCES deals (id),
    store_id TEXT NOT NULL REFERENCES stores (id),
    CONSTRAINT deal_stores_pkey PRIMARY KEY (deal_id, store_id)
);
CREATE INDEX deal_stores_store_id_idx ON deal_stores (store_id);

-- Units each consumer holds of a deal, for the per-user limit (checked in the same statement).
CREATE TABLE deal_buyers (
    deal_id TEXT NOT NULL REFERENCES deals (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    units   BIGINT NOT NULL,
    CONSTRAINT deal_buyers_pkey PRIMARY KEY (deal_id, user_id)
);

CREATE TABLE orders (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    deal_id     TEXT NOT NULL REFERENCES deals (id),
    quantity    BIGINT NOT NULL,
    unit_price  BIGINT NOT NULL,
    total       BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    status      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    paid_at     BIGINT,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX orders_user_id_idx ON orders (user_id, id);
CREATE INDEX orders_status_expires_idx ON orders (status, expires_at);

CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    provider     TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT payments_provider_ref_key UNIQUE (provider, provider_ref)
);
CREATE INDEX payments_order_id_idx ON payments (order_id);

-- Webhook events already processed, so a replay has no effect.
CREATE TABLE webhook_events (
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    CONSTRAINT webhook_events_pkey PRIMARY KEY (provider, event_id)
);

CREATE TABLE refunds (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    amount       BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    provider     TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX refunds_order_id_idx ON refunds (order_id);

CREATE TABLE vouchers (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL,
    order_id    TEXT NOT NULL REFERENCES orders (id),
    deal_id     TEXT NOT NULL REFERENCES deals (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    unit_price  BIGINT NOT NULL,
    uses_total  BIGINT NOT NULL,
    uses_left   BIGINT NOT NULL,
    status      TEXT NOT NULL,
    valid_from  BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    refund_id   TEXT REFERENCES refunds (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT vouchers_code_key UNIQUE (code)
);
CREATE INDEX vouchers_user_id_idx ON vouchers (user_id, id);
CREATE INDEX vouchers_order_id_idx ON vouchers (order_id);
CREATE INDEX vouchers_status_valid_until_idx ON vouchers (status, valid_until);

CREATE TABLE journal_entries (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref_id     TEXT NOT NULL,
    memo       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX journal_entries_ref_id_idx ON journal_entries (ref_id);

CREATE TABLE postings (
    entry_id TEXT NOT NULL REFERENCES journal_entries (id),
    line     BIGINT NOT NULL,
    account  TEXT NOT NULL,
    amount   BIGINT NOT NULL,
    currency TEXT NOT NULL,
    CONSTRAINT postings_pkey PRIMARY KEY (entry_id, line)
);
CREATE INDEX postings_account_idx ON postings (account);

CREATE TABLE redemptions (
    id            TEXT PRIMARY KEY,
    voucher_id    TEXT NOT NULL REFERENCES vouchers (id),
    store_id      TEXT NOT NULL REFERENCES stores (id),
    staff_user_id TEXT NOT NULL REFERENCES users (id),
    device        TEXT NOT NULL,
    uses          BIGINT NOT NULL,
    value         BIGINT NOT NULL,
    commission    BIGINT NOT NULL,
    entry_id      TEXT NOT NULL REFERENCES journal_entries (id),
    created_at    BIGINT NOT NULL,
    undone_at     BIGINT,
    undone_by     TEXT REFERENCES users (id),
    undo_entry_id TEXT REFERENCES journal_entries (id)
);
CREATE INDEX redemptions_voucher_id_idx ON redemptions (voucher_id, id);
CREATE INDEX redemptions_store_id_idx ON redemptions (store_id, id);

-- Messages to people (SMS, e-mail); the default notifier only records them here.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    channel    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_user_id_idx ON outbox (user_id, id);
