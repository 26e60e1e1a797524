-- The schema of db/migration/sqlite/V1 in PostgreSQL's types: BIGINT times (Unix milliseconds), BOOLEAN flags,
-- JSONB where searches read fields (custom metadata), JSON where the text is kept as written.
-- Paths and names use the "C" collation: byte order, as SQLite compares, which the range
-- '/a/' <= folder_path < '/a0' (a folder and everything below it) relies on.
CREATE TABLE folders (
    folder_path TEXT COLLATE "C" PRIMARY KEY,   -- '/a/b/' (the root '/' is implicit and not stored)
    folder_id   TEXT NOT NULL UNIQUE,
    name        TEXT COLLATE "C" NOT NULL,
    parent_path TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX folders_parent ON folders (parent_path, folder_path);

CREATE TABLE files (
    file_id             TEXT PRIMARY KEY,
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- insertion order: the tie-break that keeps paging stable
    file_path           TEXT COLLATE "C" NOT NULL UNIQUE,  -- '/a/b/name.jpg'
    folder_path         TEXT COLLATE "C" NOT NULL,         -- '/a/b/'
    name                TEXT COLLATE "C" NOT NULL,
    current_version_id  TEXT NOT NULL,
    last_version_number INTEGER NOT NULL,      -- versions are numbered 1, 2, ... and numbers are never reused
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX files_folder ON files (folder_path, created_at, seq);
CREATE INDEX files_created ON files (created_at, seq);

CREATE TABLE file_versions (
    version_id         TEXT PRIMARY KEY,
    file_id            TEXT NOT NULL REFERENCES files (file_id) ON DELETE CASCADE,
    version_number     INTEGER NOT NULL,
    blob_key           TEXT NOT NULL UNIQUE,
    size               BIGINT NOT NULL,
    md5                TEXT NOT NULL,
    mime               TEXT COLLATE "C" NOT NULL,
    format             TEXT COLLATE "C" NOT NULL,  -- 'jpg', 'png', 'pdf'...: the mime subtype as ImageKit names it
    file_type          TEXT COLLATE "C" NOT NULL,  -- 'image' | 'non-image'
    width              INTEGER,
    height             INTEGER,
    has_alpha          BOOLEAN,
    tags               JSON,                 -- array, or NULL
    custom_coordinates TEXT,
    custom_metadata    JSONB NOT NULL,       -- object
    embedded_metadata  JSON,                 -- object, or NULL
    description        TEXT,
    is_private         BOOLEAN NOT NULL,
    is_published       BOOLEAN NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (file_id, version_number)
);
CREATE INDEX file_versions_file ON file_versions (file_id);

-- Tags again, one row per tag, so searches by tag use an index instead of parsing JSON.
CREATE TABLE version_tags (
    version_id TEXT NOT NULL REFERENCES file_versions (version_id) ON DELETE CASCADE,
    tag        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (version_id, tag)
);
CREATE INDEX version_tags_tag ON version_tags (tag);

CREATE TABLE custom_metadata_fields (
    field_id   TEXT PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    label      TEXT NOT NULL,
    schema     JSON NOT NULL,                -- object: type, minLength, maxLength, minValue, ...
    deleted    BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX custom_metadata_fields_name ON custom_metadata_fields (name); -- names are never reused, even after delete

CREATE TABLE bulk_jobs (
    job_id      TEXT PRIMARY KEY,
    type        TEXT NOT NULL,               -- COPY_FOLDER | MOVE_FOLDER
    status      TEXT NOT NULL,               -- Pending | Completed
    created_at  BIGINT NOT NULL
);

CREATE TABLE used_tokens (
    token      TEXT PRIMARY KEY,
    keep_until BIGINT NOT NULL
);
CREATE INDEX used_tokens_keep_until ON used_tokens (keep_until);
