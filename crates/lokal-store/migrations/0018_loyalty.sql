-- Points, stored value, birthdays and messages to members (issue G). Balances live on the ledger (accounts
-- merchant:{m}:points:{u} and merchant:{m}:stored_value:{u}); these tables hold the merchant's
-- program, the recharges in flight and the messages sent with their deliveries.
-- A member's birthday (MM-DD, no year) for birthday offers; given by the member, optional.
ALTER TABLE memberships ADD COLUMN birthday TEXT;

CREATE TABLE loyalty_programs (
    merchant_id  TEXT PRIMARY KEY REFERENCES merchants (id),
    program_json TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- A recharge is paid through the gateway like an order; it credits the card when the payment
-- succeeds (once: the status moves from pending exactly once).
CREATE TABLE recharges (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    store_id     TEXT REFERENCES stores (id),
    pay          BIGINT NOT NULL,
    bonus        BIGINT NOT NULL,
    provider     TEXT NOT NULL,
    provider_ref TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT recharges_provider_ref_key UNIQUE (provider, provider_ref)
);
CREATE INDEX recharges_user_id_idx ON recharges (user_id, merchant_id);

CREATE TABLE member_messages (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    min_level   TEXT NOT NULL,
    sent_by     TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX member_messages_merchant_id_idx ON member_messages (merchant_id, id);

-- One row per member the message was meant for: delivered, or held back by the frequency cap.
CREATE TABLE member_message_deliveries (
    message_id  TEXT NOT NULL REFERENCES member_messages (id),
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    status      TEXT NOT NULL,
    outbox_id   TEXT,
    at          BIGINT NOT NULL,
    CONSTRAINT member_message_deliveries_pkey PRIMARY KEY (message_id, user_id)
);
CREATE INDEX member_message_deliveries_user_idx ON member_message_deliveries (user_id, merchant_id, at);
