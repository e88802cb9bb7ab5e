-- Issue K: messages leave the box. A message in the outbox says what kind it is and carries the
-- values its text was made from (`params`, JSON: an SMS template is filled with them); each
-- channel it goes out on is a send, tried by the delivery worker with backoff until the
-- gateway takes it (`sent`) or the last try failed (`dead`, listed for operators).
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN params TEXT NOT NULL DEFAULT '{}';

CREATE TABLE message_sends (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL REFERENCES outbox (id),
    channel         TEXT NOT NULL,
    address         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    provider_ref    TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX message_sends_due_idx ON message_sends (status, next_attempt_at);
CREATE INDEX message_sends_message_idx ON message_sends (message_id);
