-- The catalog: items defined once per merchant (brand), with per-store price, stock and
-- sold-out overrides. Option groups (size, spice, add-ons) are read whole, so they are JSON.
CREATE TABLE items (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    name         TEXT NOT NULL,
    section      TEXT NOT NULL,
    description  TEXT NOT NULL,
    price        BIGINT NOT NULL,
    options_json TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX items_merchant_id_idx ON items (merchant_id, id);

CREATE TABLE store_items (
    store_id  TEXT NOT NULL REFERENCES stores (id),
    item_id   TEXT NOT NULL REFERENCES items (id),
    price     BIGINT,
    stock     BIGINT,
    sold_out  BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT store_items_pkey PRIMARY KEY (store_id, item_id)
);
