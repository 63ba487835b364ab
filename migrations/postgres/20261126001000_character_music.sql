-- A character's sound in the score: a General MIDI program (0-127) and a leitmotif (JSON list
-- of {"degree", "length"}). NULL means "derive one from the character's name" (and passes the
-- JSON check).
ALTER TABLE characters ADD COLUMN instrument BIGINT;
ALTER TABLE characters ADD COLUMN leitmotif TEXT COLLATE "C"
    CONSTRAINT characters_leitmotif_json CHECK (leitmotif IS NULL OR leitmotif::json IS NOT NULL);
