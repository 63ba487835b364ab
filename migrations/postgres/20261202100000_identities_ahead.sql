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

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('scripts', 'script_id'), ('section_headings', 'heading_id'),
        ('characters', 'character_id'), ('elements', 'element_id'),
        ('paraphrases', 'paraphrase_id'), ('sessions', 'session_id'),
        ('contexts', 'context_id'), ('versions', 'version_id')) AS v (tab, id)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION fountainai_identity_ahead(%L)',
                       t.tab || '_identity_ahead', t.tab, t.id);
    END LOOP;
END
$$;
