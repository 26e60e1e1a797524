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

CREATE TABLE files (
    file_id             TEXT PRIMARY KEY,
    file_path           TEXT NOT NULL UNIQUE,  -- '/a/b/name.jpg'
    folder_path         TEXT NOT NULL,         -- '/a/b/'
    name                TEXT NOT NULL,
    current_version_id  TEXT NOT NULL,
    last_version_number INTEGER NOT NULL,      -- versions are numbered 1, 2, ... and numbers are never reused
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX files_folder ON files (folder_path);

CREATE TABLE file_versions (
    version_id         TEXT PRIMARY KEY,
    file_id            TEXT NOT NULL REFERENCES files (file_id) ON DELETE CASCADE,
    version_number     INTEGER NOT NULL,
    blob_key           TEXT NOT NULL UNIQUE,
    size               INTEGER NOT NULL,
    md5                TEXT NOT NULL,
    mime               TEXT NOT NULL,
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

CREATE TABLE used_tokens (
    token      TEXT PRIMARY KEY,
    keep_until INTEGER NOT NULL
);
CREATE INDEX used_tokens_keep_until ON used_tokens (keep_until);
