-- Verified reviews (issue G): one per consumption (a completed menu order or bill, or a redeemed
-- voucher: `subject` is 'order:<id>' or 'voucher:<id>'), by its consumer, within 30 days. The
-- store keeps the count and star sum of its visible reviews; its rating is their Bayesian
-- average (lokal_core::review). Riders are rated apart, once per delivered order.
CREATE TABLE reviews (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores (id),
    merchant_id     TEXT NOT NULL REFERENCES merchants (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    subject         TEXT NOT NULL,
    rating          BIGINT NOT NULL,
    dimensions_json TEXT NOT NULL,
    body            TEXT NOT NULL,
    tags_json       TEXT NOT NULL,
    photos_json     TEXT NOT NULL,
    photo_count     BIGINT NOT NULL,
    avg_spend       BIGINT,
    status          TEXT NOT NULL,
    hidden_reason   TEXT NOT NULL,
    helpful         BIGINT NOT NULL,
    reply           TEXT NOT NULL,
    reply_at        BIGINT,
    reply_by        TEXT REFERENCES users (id),
    follow_up       TEXT NOT NULL,
    follow_up_at    BIGINT,
    created_at      BIGINT NOT NULL,
    CONSTRAINT reviews_subject_key UNIQUE (subject)
);
CREATE INDEX reviews_store_id_idx ON reviews (store_id, status, created_at);
CREATE INDEX reviews_user_id_idx ON reviews (user_id, created_at);

CREATE TABLE review_votes (
    review_id TEXT NOT NULL REFERENCES reviews (id),
    user_id   TEXT NOT NULL REFERENCES users (id),
    CONSTRAINT review_votes_pkey PRIMARY KEY (review_id, user_id)
);

CREATE TABLE review_reports (
    review_id  TEXT NOT NULL REFERENCES reviews (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    reason     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT review_reports_pkey PRIMARY KEY (review_id, user_id)
);

CREATE TABLE rider_ratings (
    order_id   TEXT PRIMARY KEY REFERENCES orders (id),
    rider_id   TEXT NOT NULL REFERENCES users (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    rating     BIGINT NOT NULL,
    comment    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX rider_ratings_rider_id_idx ON rider_ratings (rider_id);

ALTER TABLE stores ADD COLUMN review_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stores ADD COLUMN review_star_sum BIGINT NOT NULL DEFAULT 0;
