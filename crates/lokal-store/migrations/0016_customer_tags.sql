-- Customer lists (issue G): the tags a merchant puts on its customers ("VIP", "allergic to
-- peanuts"). The list itself is computed from the merchant's kept orders.
CREATE TABLE customer_tags (
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    tag         TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    CONSTRAINT customer_tags_pkey PRIMARY KEY (merchant_id, user_id, tag)
);
