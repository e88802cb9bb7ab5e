-- Coupon batches by the platform or a merchant, the stores they are valid at, the count each
-- consumer has claimed (for the per-person limit, taken in one statement), and the claimed
-- coupons (issue F). Flags are BIGINT 0/1 and times epoch milliseconds, as elsewhere.
CREATE TABLE coupon_templates (
    id                 TEXT PRIMARY KEY,
    issuer             TEXT NOT NULL,
    merchant_id        TEXT REFERENCES merchants (id),
    title              TEXT NOT NULL,
    benefit_json       TEXT NOT NULL,
    new_customers_only BIGINT NOT NULL,
    claim_from         BIGINT NOT NULL,
    claim_until        BIGINT NOT NULL,
    valid_until        BIGINT,
    valid_days         BIGINT,
    quantity           BIGINT NOT NULL,
    quantity_left      BIGINT NOT NULL,
    per_user_limit     BIGINT NOT NULL,
    budget             BIGINT,
    budget_used        BIGINT NOT NULL,
    status             TEXT NOT NULL,
    created_by         TEXT NOT NULL REFERENCES users (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX coupon_templates_merchant_id_idx ON coupon_templates (merchant_id, id);

CREATE TABLE coupon_template_stores (
    template_id TEXT NOT NULL REFERENCES coupon_templates (id),
    store_id    TEXT NOT NULL REFERENCES stores (id),
    CONSTRAINT coupon_template_stores_pkey PRIMARY KEY (template_id, store_id)
);
CREATE INDEX coupon_template_stores_store_id_idx ON coupon_template_stores (store_id);

CREATE TABLE coupon_claimers (
    template_id TEXT NOT NULL REFERENCES coupon_templates (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    claimed     BIGINT NOT NULL,
    CONSTRAINT coupon_claimers_pkey PRIMARY KEY (template_id, user_id)
);

CREATE TABLE coupons (
    id          TEXT PRIMARY KEY,
    template_id TEXT NOT NULL REFERENCES coupon_templates (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    claimed_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    status      TEXT NOT NULL,
    channel     TEXT,
    order_id    TEXT,
    used_at     BIGINT
);
CREATE INDEX coupons_user_id_idx ON coupons (user_id, id);
CREATE INDEX coupons_template_id_idx ON coupons (template_id);
