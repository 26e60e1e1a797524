-- Blobs being written to shared storage (S3) and not yet known to be referenced by a version: each upload records
-- its key before its first byte goes out and refreshes touched_at as parts go; the janitor removes the object and
-- the multipart uploads of a key whose row is older than the lease and that no version references.
CREATE TABLE pending_blobs (
    blob_key    TEXT    NOT NULL PRIMARY KEY,
    instance_id TEXT    NOT NULL,
    touched_at  BIGINT  NOT NULL
);
CREATE INDEX pending_blobs_touched ON pending_blobs (touched_at);

-- One row per periodic job that one instance at a time runs: the holder renews its claim until `until`.
CREATE TABLE job_leases (
    name   TEXT    NOT NULL PRIMARY KEY,
    holder TEXT    NOT NULL,
    until  BIGINT  NOT NULL
);
INSERT INTO job_leases (name, holder, until) VALUES ('blob-janitor', '', 0);
