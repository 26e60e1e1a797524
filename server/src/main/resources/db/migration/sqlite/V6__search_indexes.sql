-- Indexes a searchQuery can drive from when its condition is selective (the search chooses by counting the
-- condition's rows from the index first): a name, a name prefix, a width/height/size range, a format.
CREATE INDEX files_name ON files (name);
CREATE INDEX file_versions_width ON file_versions (width);
CREATE INDEX file_versions_height ON file_versions (height);
CREATE INDEX file_versions_size ON file_versions (size);
CREATE INDEX file_versions_format ON file_versions (format);
