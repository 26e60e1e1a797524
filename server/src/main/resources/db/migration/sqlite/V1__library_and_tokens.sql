-- Files are addressed by path; each file has one or more versions, one of them current.
-- Times are Unix milliseconds. JSON values are stored as text.
CREATE TABLE folders (
    folder_path TEXT PRIMARY KEY,          -- '/a/b/' (the root '/' is implicit and not stored)
    folder_id   TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_path TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX folders_parent ON folders (parent_path, folder_path);

CREATE TABLE files (
    file_id             TEXT PRIMARY KEY,
    seq                 INTEGER NOT NULL,      -- insertion order: the tie-break that keeps paging stable
    file_path           TEXT NOT NULL UNIQUE,  -- '/a/b/name.jpg'
    folder_path         TEXT NOT NULL,         -- '/a/b/'
    name                TEXT NOT NULL,
    current_version_id  TEXT NOT NULL,
    last_version_number INTEGER NOT NULL,      -- versions are numbered 1, 2, ... and numbers are never reused
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE UNIQUE INDEX files_seq ON files (seq);  -- every insert reads MAX(seq): without it, a full scan per upload
CREATE INDEX files_folder ON files (folder_path, created_at, seq);
CREATE INDEX files_created ON files (created_at, seq);

CREATE TABLE file_versions (
    version_id         TEXT PRIMARY KEY,
    file_id            TEXT NOT NULL REFERENCES files (file_id) ON DELETE CASCADE,
    version_number     INTEGER NOT NULL,
    blob_key           TEXT NOT NULL UNIQUE,
    size               INTEGER NOT NULL,
    md5                TEXT NOT NULL,
    mime               TEXT NOT NULL,
    format             TEXT NOT NULL,        -- 'jpg', 'png', 'pdf'...: the mime subtype as ImageKit names it
    file_type          TEXT NOT NULL,        -- 'image' | 'non-image'
    width              INTEGER,
    height             INTEGER,
    has_alpha          INTEGER,
    tags               TEXT,                 -- JSON array, or NULL
    custom_coordinates TEXT,
    custom_metadata    TEXT NOT NULL,        -- JSON object
    embedded_metadata  TEXT,                 -- JSON object, or NULL
    description        TEXT,
    is_private         INTEGER NOT NULL,
    is_published       INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (file_id, version_number)
);
CREATE INDEX file_versions_file ON file_versions (file_id);

-- Tags again, one row per tag, so searches by tag use an index instead of parsing JSON.
CREATE TABLE version_tags (
    version_id TEXT NOT NULL REFERENCES file_versions (version_id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (version_id, tag)
);
CREATE INDEX version_tags_tag ON version_tags (tag);

CREATE TABLE custom_metadata_fields (
    field_id   TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    label      TEXT NOT NULL,
    schema     TEXT NOT NULL,                -- JSON object: type, minLength, maxLength, minValue, ...
    deleted    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX custom_metadata_fields_name ON custom_metadata_fields (name); -- names are never reused, even after delete

CREATE TABLE bulk_jobs (
    job_id      TEXT PRIMARY KEY,
    type        TEXT NOT NULL,               -- COPY_FOLDER | MOVE_FOLDER
    status      TEXT NOT NULL,               -- Pending | Completed
    created_at  INTEGER NOT NULL
);

CREATE TABLE used_tokens (
    token      TEXT PRIMARY KEY,
    keep_until INTEGER NOT NULL
);
CREATE INDEX used_tokens_keep_until ON used_tokens (keep_until);
