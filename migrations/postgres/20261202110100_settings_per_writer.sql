-- PostgreSQL only. In a writers' room each writer keeps their own settings (the last open
-- script, the active session, drafts…): a row belongs to the role that wrote it, and row-level
-- security shows and lets write a role only its own rows. FORCE applies it to the table's
-- owner too (a superuser is never filtered; the core names the owner as well). What was
-- stored before belongs to whoever applies this migration, the room's owner.
ALTER TABLE settings ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT current_user;
ALTER TABLE settings DROP CONSTRAINT settings_pkey;
ALTER TABLE settings ADD PRIMARY KEY (owner, key);
ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE settings FORCE ROW LEVEL SECURITY;
CREATE POLICY settings_own ON settings
    USING (owner = current_user) WITH CHECK (owner = current_user);

-- Readers may keep settings of their own. A room initialised before this migration gets the
-- grant here; `room init` makes it for new rooms (see GRANTS in src/room.rs).
DO $$
DECLARE
    r text := current_database() || '_readers';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON settings TO %I', r);
    END IF;
END
$$;
