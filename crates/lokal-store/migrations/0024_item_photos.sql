-- Issue H: a menu item may have a photo (an uploaded photo's `/media/<id>/w800.jpg` or an https
-- URL; '' for none). Deals and reviews keep theirs in their JSON details.
ALTER TABLE items ADD COLUMN photo TEXT NOT NULL DEFAULT '';
