-- Store promotions (issue F): discounts every consumer gets without a coupon — item discounts,
-- spend-and-save tiers, first-order discounts — funded by the merchant, at one store or all.
CREATE TABLE store_promotions (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    store_id     TEXT REFERENCES stores (id),
    title        TEXT NOT NULL,
    benefit_json TEXT NOT NULL,
    first_order  BIGINT NOT NULL,
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    status       TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX store_promotions_merchant_id_idx ON store_promotions (merchant_id, id);
