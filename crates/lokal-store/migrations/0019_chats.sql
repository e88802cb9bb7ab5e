-- Consultation chat (issue G): a consumer asks a store before or after buying and the store's
-- staff answer. One thread per consumer and store. Each side keeps its unread count: the insert
-- of a message raises the other side's in the same transaction, and reading the thread zeroes
-- the reader's side. `last_at` and `last_preview` let the lists show the newest first.
CREATE TABLE chat_threads (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores (id),
    merchant_id     TEXT NOT NULL REFERENCES merchants (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    last_at         BIGINT NOT NULL,
    last_preview    TEXT NOT NULL,
    consumer_unread BIGINT NOT NULL,
    store_unread    BIGINT NOT NULL,
    CONSTRAINT chat_threads_store_id_user_id_key UNIQUE (store_id, user_id)
);
CREATE INDEX chat_threads_user_id_idx ON chat_threads (user_id, last_at);
CREATE INDEX chat_threads_store_id_idx ON chat_threads (store_id, last_at);

CREATE TABLE chat_messages (
    id        TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES chat_threads (id),
    sender    TEXT NOT NULL,
    sender_id TEXT NOT NULL REFERENCES users (id),
    body      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    CONSTRAINT chat_messages_sender_check CHECK (sender IN ('consumer', 'store'))
);
CREATE INDEX chat_messages_thread_id_idx ON chat_messages (thread_id, id);
