-- Who saved a version (the app's user name; in a writers' room, the server's role).
ALTER TABLE versions ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
