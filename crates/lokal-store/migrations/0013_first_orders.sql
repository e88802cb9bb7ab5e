-- One new-customer discount per consumer and scope at a time (issue F): an order that uses a
-- new-customer coupon or a first-order promotion takes the row for its scope (the merchant's id,
-- or 'platform' for platform coupons) in its own transaction; a second order racing it cannot.
-- The row goes when the order is cancelled (its coupons come back too).
CREATE TABLE first_orders (
    user_id  TEXT NOT NULL REFERENCES users (id),
    scope    TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (id),
    CONSTRAINT first_orders_pkey PRIMARY KEY (user_id, scope)
);
CREATE INDEX first_orders_order_id_idx ON first_orders (order_id);
