-- Indexes for the searchQuery shapes that otherwise read every file (see SearchSql). Each one only proposes
-- candidates: the search keeps its exact condition on top, so the rows are the same as a scan's.

-- name HAS "word": the words of names (separators made spaces), in a built-in full-text index (no extension needed),
-- read with prefix queries. The expression must stay identical to SearchSql's NAME_WORDS.
CREATE INDEX files_name_words ON files USING gin (to_tsvector('simple', translate(name, '-_.,;:/\()[]{}<>+&''"!@#|~=*%^$`', '                               ')));

-- customMetadata.key = value / > value: one row per top-level field of a version's custom metadata, kept by a
-- trigger. Custom metadata is small (a few fields, often none), so the upload pays little.
CREATE TABLE version_metadata (
    version_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    val        JSONB NOT NULL
);
CREATE INDEX version_metadata_key_val ON version_metadata (key, val);
CREATE INDEX version_metadata_version ON version_metadata (version_id);
INSERT INTO version_metadata (version_id, key, val)
    SELECT v.version_id, j.key, j.value FROM file_versions v, jsonb_each(v.custom_metadata) j;
CREATE FUNCTION version_metadata_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM version_metadata WHERE version_id = OLD.version_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO version_metadata (version_id, key, val)
            SELECT NEW.version_id, j.key, j.value FROM jsonb_each(NEW.custom_metadata) j;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER version_metadata_insert AFTER INSERT ON file_versions
    FOR EACH ROW WHEN (NEW.custom_metadata <> '{}') EXECUTE FUNCTION version_metadata_sync();
CREATE TRIGGER version_metadata_sync AFTER DELETE OR UPDATE OF custom_metadata, version_id ON file_versions
    FOR EACH ROW EXECUTE FUNCTION version_metadata_sync();

-- private = true, published = false: the few versions that are (partial indexes hold only those).
CREATE INDEX file_versions_private ON file_versions (version_id) WHERE is_private = TRUE;
CREATE INDEX file_versions_unpublished ON file_versions (version_id) WHERE is_published = FALSE;
-- type = "file-version": a file with an older version has two versions or more, so one numbered above 1.
CREATE INDEX file_versions_later ON file_versions (file_id) WHERE version_number > 1;
