-- Issue H: the message centre. A message may point at what it concerns (a page of this site,
-- '' for none) and is unread until its recipient opens the message centre.
ALTER TABLE outbox ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN read_at BIGINT;
CREATE INDEX outbox_unread_idx ON outbox (user_id) WHERE read_at IS NULL;
