-- The device an undo came from, for the audit (who, store, device, time).
ALTER TABLE redemptions ADD COLUMN undo_device TEXT;
