-- Indexes for the searchQuery shapes that otherwise read every file (see SearchSql). Each one only proposes
-- candidates: the search keeps its exact condition on top, so the rows are the same as a scan's.

-- name HAS "word": the names' trigrams (FTS5), so a word finds the names that contain it. Its rowid is the file's seq.
-- Triggers keep it in step with files, whoever writes them. Contentless (the search reads only rowids), so an upload
-- writes no second copy of the name.
CREATE VIRTUAL TABLE files_name_trigrams USING fts5(name, tokenize = 'trigram', content = '', contentless_delete = 1);
INSERT INTO files_name_trigrams (rowid, name) SELECT seq, name FROM files;
CREATE TRIGGER files_name_trigrams_insert AFTER INSERT ON files BEGIN
    INSERT INTO files_name_trigrams (rowid, name) VALUES (new.seq, new.name);
END;
CREATE TRIGGER files_name_trigrams_delete AFTER DELETE ON files BEGIN
    DELETE FROM files_name_trigrams WHERE rowid = old.seq;
END;
CREATE TRIGGER files_name_trigrams_update AFTER UPDATE OF name, seq ON files BEGIN
    DELETE FROM files_name_trigrams WHERE rowid = old.seq;
    INSERT INTO files_name_trigrams (rowid, name) VALUES (new.seq, new.name);
END;

-- customMetadata.key = value / > value: one row per top-level field of a version's custom metadata, the value as
-- json_extract reads it. Custom metadata is small (a few fields, often none), so the upload pays little.
CREATE TABLE version_metadata (
    version_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    val
);
CREATE INDEX version_metadata_key_val ON version_metadata (key, val);
CREATE INDEX version_metadata_version ON version_metadata (version_id);
INSERT INTO version_metadata (version_id, key, val)
    SELECT v.version_id, j.key, j.value FROM file_versions v, json_each(v.custom_metadata) j;
CREATE TRIGGER version_metadata_insert AFTER INSERT ON file_versions WHEN new.custom_metadata <> '{}' BEGIN
    INSERT INTO version_metadata (version_id, key, val) SELECT new.version_id, j.key, j.value FROM json_each(new.custom_metadata) j;
END;
CREATE TRIGGER version_metadata_update AFTER UPDATE OF custom_metadata, version_id ON file_versions BEGIN
    DELETE FROM version_metadata WHERE version_id = old.version_id;
    INSERT INTO version_metadata (version_id, key, val) SELECT new.version_id, j.key, j.value FROM json_each(new.custom_metadata) j;
END;
CREATE TRIGGER version_metadata_delete AFTER DELETE ON file_versions BEGIN
    DELETE FROM version_metadata WHERE version_id = old.version_id;
END;

-- private = true, published = false: the few versions that are (partial indexes hold only those).
CREATE INDEX file_versions_private ON file_versions (version_id) WHERE is_private = TRUE;
CREATE INDEX file_versions_unpublished ON file_versions (version_id) WHERE is_published = FALSE;
-- type = "file-version": a file with an older version has two versions or more, so one numbered above 1.
CREATE INDEX file_versions_later ON file_versions (file_id) WHERE version_number > 1;
