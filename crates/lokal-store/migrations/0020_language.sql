-- Issue H: a person's saved language (`zh-CN` or `en`; NULL follows the `lang` cookie and the
-- browser's Accept-Language).
ALTER TABLE users ADD COLUMN lang TEXT;
