-- Menu orders (delivery, pickup, dine-in, pay-at-store), riders and delivery tasks (issue D).
-- Orders of every kind share `orders` (and so payments, refunds and the webhook path).
ALTER TABLE orders ALTER COLUMN deal_id DROP NOT NULL;
ALTER TABLE orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'deal';
ALTER TABLE orders ADD COLUMN store_id TEXT REFERENCES stores (id);

-- A store's ordering settings (fees, minimum, SLA, pay-at-store rule) as checked JSON.
CREATE TABLE store_settings (
    store_id      TEXT PRIMARY KEY REFERENCES stores (id),
    settings_json TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- A priced cart, kept for a few minutes so the order is exactly what was quoted.
CREATE TABLE quotes (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    store_id    TEXT NOT NULL REFERENCES stores (id),
    cart_json   TEXT NOT NULL,
    total       BIGINT NOT NULL,
    eta_minutes BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX quotes_expires_at_idx ON quotes (expires_at);

-- What a menu order (delivery, pickup, dine-in, pay-at-store) adds to its `orders` row.
CREATE TABLE order_details (
    order_id      TEXT PRIMARY KEY REFERENCES orders (id),
    store_id      TEXT NOT NULL REFERENCES stores (id),
    mode          TEXT NOT NULL,
    subtotal      BIGINT NOT NULL,
    packaging_fee BIGINT NOT NULL,
    delivery_fee  BIGINT NOT NULL,
    discount      BIGINT NOT NULL,
    address       TEXT NOT NULL,
    drop_lat_e7   BIGINT,
    drop_lng_e7   BIGINT,
    table_code    TEXT NOT NULL,
    note          TEXT NOT NULL,
    code          TEXT NOT NULL,
    scheduled_at  BIGINT,
    prep_minutes  BIGINT NOT NULL,
    accept_by     BIGINT,
    eta_at        BIGINT,
    accepted_at   BIGINT,
    ready_at      BIGINT,
    completed_at  BIGINT,
    reason        TEXT NOT NULL
);
CREATE INDEX order_details_store_id_idx ON order_details (store_id, order_id);
CREATE INDEX order_details_accept_by_idx ON order_details (accept_by);

CREATE TABLE order_lines (
    order_id   TEXT NOT NULL REFERENCES orders (id),
    line       BIGINT NOT NULL,
    item_id    TEXT NOT NULL REFERENCES items (id),
    name       TEXT NOT NULL,
    options    TEXT NOT NULL,
    quantity   BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    total      BIGINT NOT NULL,
    CONSTRAINT order_lines_pkey PRIMARY KEY (order_id, line)
);

-- The timeline of a menu order and the audit of who moved it (reassignments carry a reason).
CREATE TABLE order_events (
    id       TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    kind     TEXT NOT NULL,
    actor_id TEXT REFERENCES users (id),
    note     TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX order_events_order_id_idx ON order_events (order_id, id);

CREATE TABLE riders (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    vehicle    TEXT NOT NULL,
    status     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    shift_id   TEXT,
    lat_e7     BIGINT,
    lng_e7     BIGINT,
    located_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX riders_status_idx ON riders (status, user_id);

CREATE TABLE rider_shifts (
    id         TEXT PRIMARY KEY,
    rider_id   TEXT NOT NULL REFERENCES users (id),
    started_at BIGINT NOT NULL,
    ended_at   BIGINT,
    earned     BIGINT NOT NULL,
    topup      BIGINT NOT NULL
);
CREATE INDEX rider_shifts_rider_id_idx ON rider_shifts (rider_id, id);

-- Sampled positions of riders on shift; deleted after the retention window.
CREATE TABLE rider_pings (
    rider_id TEXT NOT NULL REFERENCES users (id),
    at       BIGINT NOT NULL,
    lat_e7   BIGINT NOT NULL,
    lng_e7   BIGINT NOT NULL,
    CONSTRAINT rider_pings_pkey PRIMARY KEY (rider_id, at)
);
CREATE INDEX rider_pings_at_idx ON rider_pings (at);

-- One delivery task per delivery order.
CREATE TABLE deliveries (
    id            TEXT PRIMARY KEY,
    order_id      TEXT NOT NULL REFERENCES orders (id),
    store_id      TEXT NOT NULL REFERENCES stores (id),
    rider_id      TEXT REFERENCES users (id),
    status        TEXT NOT NULL,
    pickup_lat_e7 BIGINT NOT NULL,
    pickup_lng_e7 BIGINT NOT NULL,
    drop_lat_e7   BIGINT NOT NULL,
    drop_lng_e7   BIGINT NOT NULL,
    distance_m    BIGINT NOT NULL,
    rider_pay     BIGINT NOT NULL,
    ready_at      BIGINT NOT NULL,
    eta_at        BIGINT NOT NULL,
    assigned_at   BIGINT,
    arrived_at    BIGINT,
    picked_at     BIGINT,
    delivered_at  BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CONSTRAINT deliveries_order_id_key UNIQUE (order_id)
);
CREATE INDEX deliveries_status_idx ON deliveries (status, id);
CREATE INDEX deliveries_rider_id_idx ON deliveries (rider_id, status);
