-- What Fountain and FDX say beyond the five services' fields, so that import → export
-- gives back the same screenplay.

-- The title page as imported: a JSON array of [key, value] pairs in source order. NULL (no
-- title page) must pass the check, hence the explicit IS NULL.
ALTER TABLE scripts ADD COLUMN title_page TEXT COLLATE "C"
    CONSTRAINT scripts_title_page_json CHECK (title_page IS NULL OR title_page::json IS NOT NULL);

-- `INT. HOUSE #12A#` keeps its scene number; `untitled` marks the section holding what came
-- before the first scene heading (it has no heading line of its own).
ALTER TABLE section_headings ADD COLUMN scene_number TEXT COLLATE "C";
ALTER TABLE section_headings ADD COLUMN untitled BOOLEAN NOT NULL DEFAULT FALSE;

-- A cue's extension (`V.O.`), dual dialogue (`^`), a line that continues the dialogue block
-- above it (a second parenthetical or lyric under the same cue), and a `#` section's depth.
ALTER TABLE elements ADD COLUMN extension TEXT COLLATE "C";
ALTER TABLE elements ADD COLUMN dual BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE elements ADD COLUMN continues BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE elements ADD COLUMN depth BIGINT;
