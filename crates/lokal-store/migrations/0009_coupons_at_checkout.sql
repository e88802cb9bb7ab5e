-- Coupons used at checkout (issue F).
-- What a coupon took off the order it was used on (given back if the order is cancelled), and
-- the part of a menu order's discount the platform pays (the rest of `discount` is the
-- merchant's).
ALTER TABLE coupons ADD COLUMN discount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_details ADD COLUMN platform_discount BIGINT NOT NULL DEFAULT 0;
CREATE INDEX coupons_order_id_idx ON coupons (order_id);
