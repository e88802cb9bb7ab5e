-- Issue H: a person's address book, and the snapshot of the address on a delivery order
-- (which saved address it came from, who receives it, their phone and the door), so that
-- changing or deleting an address never changes an order.
CREATE TABLE addresses (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    label         TEXT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    address       TEXT NOT NULL,
    door          TEXT NOT NULL,
    lat_e7        BIGINT NOT NULL,
    lng_e7        BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    used_at       BIGINT NOT NULL
);
CREATE INDEX addresses_user_idx ON addresses (user_id, used_at);

ALTER TABLE order_details ADD COLUMN address_id TEXT;
ALTER TABLE order_details ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE order_details ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE order_details ADD COLUMN door TEXT NOT NULL DEFAULT '';
