-- Versions record a checksum with its algorithm's name instead of a bare MD5: new uploads take CRC32C
-- ('crc32c:<8 hex>'), which costs a fiftieth of MD5's CPU on a large upload. The MD5s recorded so far stay valid
-- and are checked with MD5 ('md5:<32 hex>'). A server of the previous version reads the old column: stop every
-- instance before one of this version starts.
ALTER TABLE file_versions RENAME COLUMN md5 TO checksum;
UPDATE file_versions SET checksum = 'md5:' || checksum;
ALTER TABLE video_pre_jobs RENAME COLUMN source_md5 TO source_checksum;
UPDATE video_pre_jobs SET source_checksum = 'md5:' || source_checksum;
