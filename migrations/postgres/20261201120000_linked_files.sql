-- A script tied to a .fountain file on disk (`fountainai link`). What was last in sync: the
-- script's revision and the SHA-256 of the file's bytes. A side whose state differs from
-- these has changed since; both differing is a conflict, and the watcher's own write leaves
-- neither differing, so it is not taken for an outside change. `script_id` is the linked
-- script's id, never generated here, so it is no identity.
CREATE TABLE linked_files (
    script_id       BIGINT PRIMARY KEY REFERENCES scripts (script_id) ON DELETE CASCADE,
    path            TEXT COLLATE "C" NOT NULL UNIQUE,
    synced_revision BIGINT NOT NULL,
    synced_sha256   TEXT COLLATE "C" NOT NULL
);
