-- A script tied to a .fountain file on disk (`fountainai link`). What was last in sync: the
-- script's revision and the SHA-256 of the file's bytes. A side whose state differs from
-- these has changed since; both differing is a conflict, and the watcher's own write leaves
-- neither differing, so it is not taken for an outside change.
CREATE TABLE linked_files (
    script_id       INTEGER PRIMARY KEY REFERENCES scripts (script_id) ON DELETE CASCADE,
    path            TEXT    NOT NULL UNIQUE,
    synced_revision INTEGER NOT NULL,
    synced_sha256   TEXT    NOT NULL
);
