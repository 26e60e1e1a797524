-- embeddedMetadata.key = value / > value on the fields that name a photo's camera, software, author and place: one
-- row per such field of a version's embedded metadata, the value as json_extract reads it, kept by triggers (like version_metadata,
-- V8). Only these keys (SearchSql.EMBEDDED_INDEXED lists the same): a photo carries dozens of fields, and each row
-- costs the upload that writes it index writes (about 0.02 ms of SQLite CPU a row); a condition on another key
-- scans as before. The search keeps its exact condition on top, so the rows are the same as a scan's.
CREATE TABLE version_embedded (
    version_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    val
);
CREATE INDEX version_embedded_key_val ON version_embedded (key, val);
CREATE INDEX version_embedded_version ON version_embedded (version_id);
INSERT INTO version_embedded (version_id, key, val)
    SELECT v.version_id, j.key, j.value FROM file_versions v, json_each(v.embedded_metadata) j
    WHERE v.embedded_metadata IS NOT NULL AND json_valid(v.embedded_metadata) AND json_type(v.embedded_metadata) = 'object'
      AND j.key IN ('Make', 'Model', 'LensModel', 'Software', 'Artist', 'Copyright', 'City', 'Country')
      AND j.type NOT IN ('object', 'array', 'null');
CREATE TRIGGER version_embedded_insert AFTER INSERT ON file_versions
    WHEN new.embedded_metadata IS NOT NULL AND json_valid(new.embedded_metadata) AND json_type(new.embedded_metadata) = 'object' BEGIN
    INSERT INTO version_embedded (version_id, key, val) SELECT new.version_id, j.key, j.value FROM json_each(new.embedded_metadata) j
    WHERE j.key IN ('Make', 'Model', 'LensModel', 'Software', 'Artist', 'Copyright', 'City', 'Country')
      AND j.type NOT IN ('object', 'array', 'null');
END;
CREATE TRIGGER version_embedded_update AFTER UPDATE OF embedded_metadata, version_id ON file_versions BEGIN
    DELETE FROM version_embedded WHERE version_id = old.version_id;
    INSERT INTO version_embedded (version_id, key, val) SELECT new.version_id, j.key, j.value FROM json_each(new.embedded_metadata) j
    WHERE new.embedded_metadata IS NOT NULL AND json_valid(new.embedded_metadata) AND json_type(new.embedded_metadata) = 'object'
      AND j.key IN ('Make', 'Model', 'LensModel', 'Software', 'Artist', 'Copyright', 'City', 'Country')
      AND j.type NOT IN ('object', 'array', 'null');
END;
CREATE TRIGGER version_embedded_delete AFTER DELETE ON file_versions BEGIN
    DELETE FROM version_embedded WHERE version_id = old.version_id;
END;
