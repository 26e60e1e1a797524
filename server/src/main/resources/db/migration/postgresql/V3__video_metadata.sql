-- What ffprobe read from a video version (duration, bitRate, videoCodec, audioCodec), as a JSON object; NULL when
-- the version was not probed (not a video, or no ffprobe on the machine).
ALTER TABLE file_versions ADD COLUMN media_metadata JSON;
