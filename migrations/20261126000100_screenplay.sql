-- What Fountain and FDX say beyond the five services' fields, so that import → export
-- gives back the same screenplay.

-- The title page as imported: a JSON array of [key, value] pairs in source order.
ALTER TABLE scripts ADD COLUMN title_page TEXT;

-- `INT. HOUSE #12A#` keeps its scene number; `untitled` marks the section holding what came
-- before the first scene heading (it has no heading line of its own).
ALTER TABLE section_headings ADD COLUMN scene_number TEXT;
ALTER TABLE section_headings ADD COLUMN untitled INTEGER NOT NULL DEFAULT 0;

-- A cue's extension (`V.O.`), dual dialogue (`^`), a line that continues the dialogue block
-- above it (a second parenthetical or lyric under the same cue), and a `#` section's depth.
ALTER TABLE elements ADD COLUMN extension TEXT;
ALTER TABLE elements ADD COLUMN dual INTEGER NOT NULL DEFAULT 0;
ALTER TABLE elements ADD COLUMN continues INTEGER NOT NULL DEFAULT 0;
ALTER TABLE elements ADD COLUMN depth INTEGER;
