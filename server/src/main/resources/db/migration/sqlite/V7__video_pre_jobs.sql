-- Video uploads whose pre-transformation was queued (the upload answered 202) and has not finished yet: one row per
-- upload, removed when its file is stored and announced, or its failure announced. The source bytes are a blob
-- (source_key) that the start-up sweep and the blob janitor keep while a row names it. A worker claims a due row by
-- setting claimed_by and lease_until, and renews the lease while ffmpeg runs; a lease that ran out (its instance
-- died) makes the row claimable again. Times are Unix milliseconds.
CREATE TABLE video_pre_jobs (
    job_id          TEXT PRIMARY KEY,
    home            TEXT NOT NULL,    -- '' when every instance can read the source; else the data folder holding it
    source_key      TEXT NOT NULL,
    source_size     INTEGER NOT NULL,
    source_md5      TEXT NOT NULL,
    source_mime     TEXT NOT NULL,
    result_key      TEXT NOT NULL,    -- the stored file's version id, fixed up front so a retry never stores twice
    options         TEXT NOT NULL,    -- the upload's options as JSON
    request_id      TEXT,             -- the upload's x-request-id, which the events carry
    attempts        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    lease_until     INTEGER
);
CREATE INDEX video_pre_jobs_source ON video_pre_jobs (source_key);
CREATE INDEX video_pre_jobs_due ON video_pre_jobs (home, next_attempt_at);
