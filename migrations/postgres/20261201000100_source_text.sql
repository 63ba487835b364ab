-- The writer's own Fountain text, so that a script exports as it was written. Each heading
-- and element keeps the text it was read from (up to the next one, blank lines included) and
-- `source_of`, a fingerprint of what that text was read as: once the content is changed any
-- other way (a structured edit, a rename, a restore), the fingerprint no longer matches and
-- the export derives the text from the structure. `scripts.source` is what comes before the
-- first element (the title page as written), reused while the script's title, author and
-- title page are those it was read with. The fingerprint is a full 64-bit value, hence BIGINT.
ALTER TABLE elements ADD COLUMN source TEXT COLLATE "C";
ALTER TABLE elements ADD COLUMN source_of BIGINT;
ALTER TABLE section_headings ADD COLUMN source TEXT COLLATE "C";
ALTER TABLE section_headings ADD COLUMN source_of BIGINT;
ALTER TABLE scripts ADD COLUMN source TEXT COLLATE "C";
ALTER TABLE scripts ADD COLUMN source_of BIGINT;
