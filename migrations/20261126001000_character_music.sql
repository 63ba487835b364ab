-- A character's sound in the score: a General MIDI program (0-127) and a leitmotif (JSON list
-- of {"degree", "length"}). NULL means "derive one from the character's name".
ALTER TABLE characters ADD COLUMN instrument INTEGER;
ALTER TABLE characters ADD COLUMN leitmotif TEXT;
