-- Merchant and platform analytics (issue F): daily rollups kept by lokal_app::analytics from the
-- orders, refunds, redemptions and vouchers (recomputed for the days that changed since the last
-- refresh), and store page views counted as they happen. A "day" is the store's local day
-- (stores.utc_offset_min); a merchant's deal sales (no store) are rows with store_id ''.
ALTER TABLE order_details ADD COLUMN repeat_customer BIGINT NOT NULL DEFAULT 0;
CREATE INDEX orders_store_id_created_at_idx ON orders (store_id, created_at);
CREATE INDEX orders_merchant_id_created_at_idx ON orders (merchant_id, created_at);
CREATE INDEX orders_updated_at_idx ON orders (updated_at);
CREATE INDEX refunds_created_at_idx ON refunds (created_at);
CREATE INDEX redemptions_created_at_idx ON redemptions (created_at);
CREATE INDEX redemptions_undone_at_idx ON redemptions (undone_at);
CREATE INDEX vouchers_updated_at_idx ON vouchers (updated_at);
CREATE INDEX vouchers_merchant_id_created_at_idx ON vouchers (merchant_id, created_at);

CREATE TABLE store_days (
    merchant_id      TEXT NOT NULL,
    store_id         TEXT NOT NULL,
    day              BIGINT NOT NULL,
    orders           BIGINT NOT NULL,
    paid_orders      BIGINT NOT NULL,
    gmv              BIGINT NOT NULL,
    refunds          BIGINT NOT NULL,
    discounts        BIGINT NOT NULL,
    returning_orders BIGINT NOT NULL,
    completed        BIGINT NOT NULL,
    delivered        BIGINT NOT NULL,
    on_time          BIGINT NOT NULL,
    ctd_secs         BIGINT NOT NULL,
    vouchers_sold    BIGINT NOT NULL,
    vouchers_used    BIGINT NOT NULL,
    redemptions      BIGINT NOT NULL,
    redeemed_value   BIGINT NOT NULL,
    CONSTRAINT store_days_pkey PRIMARY KEY (merchant_id, store_id, day)
);
CREATE INDEX store_days_day_idx ON store_days (day);

CREATE TABLE store_hours (
    merchant_id TEXT NOT NULL,
    store_id    TEXT NOT NULL,
    day         BIGINT NOT NULL,
    hour        BIGINT NOT NULL,
    orders      BIGINT NOT NULL,
    gmv         BIGINT NOT NULL,
    CONSTRAINT store_hours_pkey PRIMARY KEY (merchant_id, store_id, day, hour)
);

CREATE TABLE store_item_days (
    merchant_id TEXT NOT NULL,
    store_id    TEXT NOT NULL,
    day         BIGINT NOT NULL,
    item_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    quantity    BIGINT NOT NULL,
    revenue     BIGINT NOT NULL,
    CONSTRAINT store_item_days_pkey PRIMARY KEY (merchant_id, store_id, day, item_id)
);

CREATE TABLE store_views (
    merchant_id TEXT NOT NULL,
    store_id    TEXT NOT NULL,
    day         BIGINT NOT NULL,
    views       BIGINT NOT NULL,
    CONSTRAINT store_views_pkey PRIMARY KEY (merchant_id, store_id, day)
);

CREATE TABLE rollup_state (
    name      TEXT PRIMARY KEY,
    watermark BIGINT NOT NULL
);
