-- Foundation: accounts, sessions, roles, merchants and stores (minimal; issue B extends them),
-- login rate limits and idempotency keys.
-- Portable column subset (see docs/ARCHITECTURE.md): TEXT UUIDv7 ids, BIGINT epoch-ms times,
-- BIGINT 0/1 flags, BIGINT minor-unit money. Unique constraints carry PostgreSQL's default names
-- so both backends report the same name.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT,
    phone         TEXT,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_login_check CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE merchants (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE stores (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX stores_merchant_id_idx ON stores (merchant_id, id);

CREATE TABLE grants (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    merchant_id TEXT REFERENCES merchants (id),
    all_stores  BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);
-- One staff grant per user and merchant; one of each platform-wide role per user.
CREATE UNIQUE INDEX grants_user_scope_key ON grants (user_id, COALESCE(merchant_id, role));
CREATE INDEX grants_merchant_id_idx ON grants (merchant_id);

CREATE TABLE grant_stores (
    grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    store_id TEXT NOT NULL REFERENCES stores (id),
    CONSTRAINT grant_stores_pkey PRIMARY KEY (grant_id, store_id)
);

CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    CONSTRAINT rate_limits_pkey PRIMARY KEY (bucket, window_start)
);

CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        BIGINT NOT NULL,
    response_body TEXT,
    created_at    BIGINT NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, idem_key)
);
