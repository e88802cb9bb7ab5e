-- Dashboards (issue F): the part of each day's discounts the platform funded, so a merchant's
-- "discounts you funded" excludes platform coupons.
ALTER TABLE store_days ADD COLUMN platform_discounts BIGINT NOT NULL DEFAULT 0;
