-- Membership cards (issue G): a consumer joins a merchant's (chain's) membership from a store
-- page or by scanning the store's code; the card is valid at every store of the merchant. The
-- level follows the member's spend there (lokal_core::membership); messages only with consent.
CREATE TABLE memberships (
    merchant_id     TEXT NOT NULL REFERENCES merchants (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    joined_store_id TEXT REFERENCES stores (id),
    channel         TEXT NOT NULL,
    messages_opt_in BIGINT NOT NULL,
    joined_at       BIGINT NOT NULL,
    CONSTRAINT memberships_pkey PRIMARY KEY (merchant_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);
