-- Store profiles for discovery (issue B): category, place, contact, price, services, and the
-- figures that ranking uses. Coordinates are integers of 1e-7 degrees; hours, tags and photos
-- live in details_json (read whole, never filtered on in SQL).
ALTER TABLE stores ADD COLUMN category TEXT NOT NULL DEFAULT 'food';
ALTER TABLE stores ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN lat_e7 BIGINT;
ALTER TABLE stores ADD COLUMN lng_e7 BIGINT;
ALTER TABLE stores ADD COLUMN phone TEXT;
ALTER TABLE stores ADD COLUMN utc_offset_min BIGINT NOT NULL DEFAULT 480;
ALTER TABLE stores ADD COLUMN avg_price BIGINT;
ALTER TABLE stores ADD COLUMN offers_delivery BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN offers_pickup BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN offers_dine_in BIGINT NOT NULL DEFAULT 1;
ALTER TABLE stores ADD COLUMN delivery_radius_m BIGINT;
ALTER TABLE stores ADD COLUMN rating_x100 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN monthly_sales BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN details_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE stores ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
