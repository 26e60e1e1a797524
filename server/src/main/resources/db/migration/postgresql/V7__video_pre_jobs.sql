-- The schema of db/migration/sqlite/V7 in PostgreSQL's types.
CREATE TABLE video_pre_jobs (
    job_id          TEXT PRIMARY KEY,
    home            TEXT NOT NULL,
    source_key      TEXT NOT NULL,
    source_size     BIGINT NOT NULL,
    source_md5      TEXT NOT NULL,
    source_mime     TEXT NOT NULL,
    result_key      TEXT NOT NULL,
    options         TEXT NOT NULL,
    request_id      TEXT,
    attempts        INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    lease_until     BIGINT
);
CREATE INDEX video_pre_jobs_source ON video_pre_jobs (source_key);
CREATE INDEX video_pre_jobs_due ON video_pre_jobs (home, next_attempt_at);
