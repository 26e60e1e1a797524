-- file_versions_file (file_id) repeats the leading column of the UNIQUE (file_id, version_number) index, which
-- answers every lookup by file_id as well; keeping both cost each new version one more index page to write.
DROP INDEX file_versions_file;
