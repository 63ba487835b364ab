-- The five services share one database. Order lives in `sequence_number` columns that only
-- the Central Sequence module writes; NULL means "not yet ordered" (between insert and
-- generateSequenceNumber inside the same transaction).

CREATE TABLE scripts (
    script_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT    NOT NULL,
    author          TEXT    NOT NULL DEFAULT '',
    description     TEXT    NOT NULL DEFAULT '',
    sequence_number INTEGER,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX scripts_order ON scripts (sequence_number);

CREATE TABLE section_headings (
    heading_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    script_id       INTEGER NOT NULL REFERENCES scripts (script_id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    sequence_number INTEGER
);
CREATE INDEX section_headings_order ON section_headings (script_id, sequence_number);

CREATE TABLE characters (
    character_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    script_id       INTEGER NOT NULL REFERENCES scripts (script_id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    sequence_number INTEGER
);
CREATE UNIQUE INDEX characters_name ON characters (script_id, name);
CREATE INDEX characters_order ON characters (script_id, sequence_number);

-- Actions, spoken words (dialogue) and transitions share one table because they share one
-- order: the elements of a section, interleaved.
CREATE TABLE elements (
    element_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    heading_id      INTEGER NOT NULL REFERENCES section_headings (heading_id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    character_id    INTEGER REFERENCES characters (character_id) ON DELETE RESTRICT,
    parenthetical   TEXT,
    sequence_number INTEGER
);
CREATE INDEX elements_order ON elements (heading_id, sequence_number);
CREATE INDEX elements_character ON elements (character_id);

-- A paraphrase may belong to a character, an action or a spoken word, so it has no foreign
-- key; the owning module deletes paraphrases together with their original.
CREATE TABLE paraphrases (
    paraphrase_id INTEGER PRIMARY KEY AUTOINCREMENT,
    original_type TEXT    NOT NULL,
    original_id   INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    commentary    TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL
);
CREATE INDEX paraphrases_original ON paraphrases (original_type, original_id);

CREATE TABLE sessions (
    session_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL DEFAULT 0,
    script_id  INTEGER REFERENCES scripts (script_id) ON DELETE CASCADE,
    context    TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX sessions_script ON sessions (script_id);

CREATE TABLE contexts (
    context_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
    heading_id   INTEGER REFERENCES section_headings (heading_id) ON DELETE CASCADE,
    character_id INTEGER REFERENCES characters (character_id) ON DELETE CASCADE,
    element_id   INTEGER REFERENCES elements (element_id) ON DELETE CASCADE
);
-- One context per target: a section, a character (everywhere or in one section), or a single
-- element (one line's mood). NULL means "not narrowed by this".
CREATE UNIQUE INDEX contexts_target
    ON contexts (session_id, COALESCE(heading_id, 0), COALESCE(character_id, 0), COALESCE(element_id, 0));

CREATE TABLE context_entries (
    context_id INTEGER NOT NULL REFERENCES contexts (context_id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (context_id, key)
);

-- Versions outlive what they snapshot: a deleted script's history stays readable.
CREATE TABLE versions (
    version_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    element_type   TEXT    NOT NULL,
    element_id     INTEGER NOT NULL,
    version_number INTEGER NOT NULL,
    data           TEXT    NOT NULL,
    comment        TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    UNIQUE (element_type, element_id, version_number)
);
