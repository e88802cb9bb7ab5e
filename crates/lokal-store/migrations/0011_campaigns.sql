-- Campaigns and attribution (issue F). A campaign (a merchant's, or the platform's when
-- merchant_id is NULL) has channels, each with a short public code (/c/{code}). An arrival
-- through a channel is a touch, keyed by an anonymous visitor id and, once known, the user.
-- Every sign-up, coupon claim, order and redemption that a touch brought is credited once
-- (UNIQUE kind, ref_id) to its first and its last eligible touch (lokal_core::campaign).
CREATE TABLE campaigns (
    id                 TEXT PRIMARY KEY,
    merchant_id        TEXT REFERENCES merchants (id),
    title              TEXT NOT NULL,
    store_id           TEXT REFERENCES stores (id),
    coupon_template_id TEXT REFERENCES coupon_templates (id),
    starts_at          BIGINT NOT NULL,
    ends_at            BIGINT NOT NULL,
    window_days        BIGINT NOT NULL,
    status             TEXT NOT NULL,
    created_by         TEXT NOT NULL REFERENCES users (id),
    created_at         BIGINT NOT NULL
);
CREATE INDEX campaigns_merchant_id_idx ON campaigns (merchant_id, id);

CREATE TABLE campaign_channels (
    id          TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    code        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    cost        BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT campaign_channels_code_key UNIQUE (code)
);
CREATE INDEX campaign_channels_campaign_id_idx ON campaign_channels (campaign_id, id);

CREATE TABLE touches (
    id          TEXT PRIMARY KEY,
    channel_id  TEXT NOT NULL REFERENCES campaign_channels (id),
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    visitor     TEXT NOT NULL,
    user_id     TEXT REFERENCES users (id),
    at          BIGINT NOT NULL
);
CREATE INDEX touches_user_id_idx ON touches (user_id, at);
CREATE INDEX touches_visitor_idx ON touches (visitor);
CREATE INDEX touches_campaign_id_idx ON touches (campaign_id, channel_id);

CREATE TABLE attributions (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    ref_id            TEXT NOT NULL,
    user_id           TEXT NOT NULL REFERENCES users (id),
    merchant_id       TEXT REFERENCES merchants (id),
    first_channel_id  TEXT NOT NULL REFERENCES campaign_channels (id),
    first_campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    last_channel_id   TEXT NOT NULL REFERENCES campaign_channels (id),
    last_campaign_id  TEXT NOT NULL REFERENCES campaigns (id),
    amount            BIGINT NOT NULL,
    new_to_merchant   BIGINT NOT NULL,
    new_to_platform   BIGINT NOT NULL,
    at                BIGINT NOT NULL,
    CONSTRAINT attributions_kind_ref_id_key UNIQUE (kind, ref_id)
);
CREATE INDEX attributions_first_campaign_id_idx ON attributions (first_campaign_id, kind);
CREATE INDEX attributions_last_campaign_id_idx ON attributions (last_campaign_id, kind);
