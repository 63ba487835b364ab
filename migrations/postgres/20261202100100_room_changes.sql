-- PostgreSQL only. Every change to a script moves its row (revision, updated_at), so a trigger
-- there tells every open app at COMMIT: `fountainai_script_<id>` carries the new revision (an
-- empty payload: the script was deleted), `fountainai_library` the id of a script added,
-- changed or deleted (the library's list).
CREATE FUNCTION fountainai_script_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_id bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.script_id ELSE NEW.script_id END;
    revision text := CASE WHEN TG_OP = 'DELETE' THEN '' ELSE NEW.revision::text END;
BEGIN
    PERFORM pg_notify('fountainai_script_' || row_id, revision);
    PERFORM pg_notify('fountainai_library', row_id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER scripts_changed AFTER INSERT OR UPDATE OR DELETE ON scripts
    FOR EACH ROW EXECUTE FUNCTION fountainai_script_changed();

-- Who saved a version: the server's role.
ALTER TABLE versions ADD COLUMN created_by TEXT COLLATE "C" NOT NULL DEFAULT '';
