-- Issue K: nothing external happens inside a database transaction. A refund is written as
-- `pending` with what the provider needs (the payment and its total) and carried out by a worker
-- with retries and backoff (`processing` once the provider accepted it and has not finished);
-- the ledger records it when the provider confirms it (`succeeded`), or operators see it
-- `failed`. Refunds written before this migration were made at once: they stay `succeeded`.
ALTER TABLE refunds ADD COLUMN payment_id TEXT;
ALTER TABLE refunds ADD COLUMN status TEXT NOT NULL DEFAULT 'succeeded';
ALTER TABLE refunds ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE refunds SET updated_at = created_at,
    payment_id = (SELECT p.id FROM payments p WHERE p.order_id = refunds.order_id
                  AND p.status IN ('succeeded', 'refunded') ORDER BY p.id LIMIT 1);
CREATE INDEX refunds_due_idx ON refunds (status, next_attempt_at);

-- The provider's own id of a payment (WeChat Pay's transaction_id, Alipay's trade_no), and when
-- a pending payment is next asked about at the provider (a notification that is overdue).
ALTER TABLE payments ADD COLUMN provider_txn TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN next_check_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX payments_pending_idx ON payments (status, next_check_at);
ALTER TABLE recharges ADD COLUMN next_check_at BIGINT NOT NULL DEFAULT 0;

-- The sandbox provider's side: the payer's choice on its hosted page, kept until its signed
-- confirmation was delivered and acknowledged (a crash before then delivers it after restart).
CREATE TABLE sandbox_confirmations (
    provider_ref    TEXT PRIMARY KEY,
    succeed         BIGINT NOT NULL,
    deliver_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    delivered_at    BIGINT,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX sandbox_confirmations_due_idx ON sandbox_confirmations (delivered_at, deliver_at);
