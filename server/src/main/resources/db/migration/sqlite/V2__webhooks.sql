-- Secrets the server generates once and every instance must share (the webhook signing secret).
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Webhook deliveries: one row per event and target, kept until it is delivered, dead or given up.
-- Times are Unix milliseconds. A sender claims a due row by setting claimed_by and lease_until; a lease that ran out
-- (its sender died) makes the row claimable again.
CREATE TABLE webhook_outbox (
    delivery_id     TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL,           -- the envelope's id and the webhook-id header, the same on every retry
    event_type      TEXT NOT NULL,
    target_url      TEXT NOT NULL,
    body            TEXT NOT NULL,           -- the exact JSON that is signed and sent
    status          TEXT NOT NULL,           -- pending, delivered, dead (410), failed (gave up)
    attempts        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    lease_until     INTEGER,
    last_result     TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
