-- embeddedMetadata.key = value / > value on the fields that name a photo's camera, software, author and place: one
-- row per such field of a version's embedded metadata, the value as the search's JSON operators read it, kept by a
-- trigger (like version_metadata, V8). Only these keys (SearchSql.EMBEDDED_INDEXED lists the same): a photo carries
-- dozens of fields, and each row costs the upload that writes it index writes; a condition on another key scans as
-- before. The search keeps its exact condition on top, so the rows are the same as a scan's.
CREATE TABLE version_embedded (
    version_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    val        JSONB NOT NULL
);
CREATE INDEX version_embedded_key_val ON version_embedded (key, val);
CREATE INDEX version_embedded_version ON version_embedded (version_id);
-- A JSON text with an escaped NUL (\u0000 after an even number of backslashes) has no jsonb form: such a version gets
-- no rows rather than failing its upload (a search on it fails anyway, as it reads the column as jsonb).
CREATE FUNCTION version_embedded_rows(TEXT, JSON) RETURNS TABLE (version_id TEXT, key TEXT, val JSONB)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT $1, j.key, j.value FROM jsonb_each(CASE WHEN json_typeof($2) = 'object'
                                                    AND CAST($2 AS text) !~ '(^|[^\\])(\\\\)*\\u0000'
                                              THEN CAST($2 AS jsonb) END) j
    WHERE j.key IN ('Make', 'Model', 'LensModel', 'Software', 'Artist', 'Copyright', 'City', 'Country')
      AND jsonb_typeof(j.value) NOT IN ('object', 'array', 'null')
$$;
INSERT INTO version_embedded (version_id, key, val)
    SELECT r.* FROM file_versions v, version_embedded_rows(v.version_id, v.embedded_metadata) r WHERE v.embedded_metadata IS NOT NULL;
CREATE FUNCTION version_embedded_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM version_embedded WHERE version_id = OLD.version_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.embedded_metadata IS NOT NULL THEN
        INSERT INTO version_embedded (version_id, key, val) SELECT * FROM version_embedded_rows(NEW.version_id, NEW.embedded_metadata);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER version_embedded_insert AFTER INSERT ON file_versions
    FOR EACH ROW WHEN (NEW.embedded_metadata IS NOT NULL) EXECUTE FUNCTION version_embedded_sync();
CREATE TRIGGER version_embedded_sync AFTER DELETE OR UPDATE OF embedded_metadata, version_id ON file_versions
    FOR EACH ROW EXECUTE FUNCTION version_embedded_sync();
