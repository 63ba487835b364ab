-- PostgreSQL only. Imports, syncs and restores insert rows with ids they chose themselves
-- (SQLite's AUTOINCREMENT then moves past them on its own; an identity does not). After every
-- insert statement the table's identity is moved past the highest id in it, so the next plain
-- insert, by any writer, takes a fresh id.
CREATE FUNCTION fountainai_identity_ahead() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seq text := pg_get_serial_sequence(quote_ident(TG_TABLE_NAME), TG_ARGV[0]);
    top bigint;
BEGIN
    EXECUTE format('SELECT max(%I) FROM %I', TG_ARGV[0], TG_TABLE_NAME) INTO top;
    IF top IS NOT NULL AND top > COALESCE(pg_sequence_last_value(seq::regclass), 0) THEN
        PERFORM setval(seq, top);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER scripts_identity_ahead AFTER INSERT ON scripts
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('script_id');
CREATE TRIGGER section_headings_identity_ahead AFTER INSERT ON section_headings
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('heading_id');
CREATE TRIGGER characters_identity_ahead AFTER INSERT ON characters
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('character_id');
CREATE TRIGGER elements_identity_ahead AFTER INSERT ON elements
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('element_id');
CREATE TRIGGER paraphrases_identity_ahead AFTER INSERT ON paraphrases
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('paraphrase_id');
CREATE TRIGGER sessions_identity_ahead AFTER INSERT ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('session_id');
CREATE TRIGGER contexts_identity_ahead AFTER INSERT ON contexts
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('context_id');
CREATE TRIGGER versions_identity_ahead AFTER INSERT ON versions
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_identity_ahead('version_id');
