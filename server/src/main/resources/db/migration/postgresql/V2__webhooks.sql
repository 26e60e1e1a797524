-- The schema of db/migration/sqlite/V2 in PostgreSQL's types.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE webhook_outbox (
    delivery_id     TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    target_url      TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    lease_until     BIGINT,
    last_result     TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
