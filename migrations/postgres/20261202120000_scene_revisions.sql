-- Each scene's revision: the script's revision when its heading or one of its elements last
-- changed (see the SQLite twin). Elements change by the thousand in one statement (an import,
-- an editor sync), so their triggers run once per statement over the rows it touched.
ALTER TABLE section_headings ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- The script's row is locked before its scenes' rows: every writer takes the two in that order
-- (an editor's save locks the script first), so two writers in one scene wait, never deadlock.
CREATE FUNCTION fountainai_scenes_revised(heading_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(heading_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM scripts
      WHERE script_id IN (SELECT script_id FROM section_headings WHERE heading_id = ANY (heading_ids))
      ORDER BY script_id FOR UPDATE;
    UPDATE section_headings h SET revision = s.revision + 1
      FROM scripts s
     WHERE s.script_id = h.script_id AND h.heading_id = ANY (heading_ids);
END
$$;

CREATE FUNCTION fountainai_elements_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM fountainai_scenes_revised(ARRAY(SELECT DISTINCT heading_id FROM new_rows));
    RETURN NULL;
END
$$;

CREATE FUNCTION fountainai_elements_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM fountainai_scenes_revised(ARRAY(SELECT DISTINCT heading_id FROM old_rows));
    RETURN NULL;
END
$$;

CREATE FUNCTION fountainai_elements_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- What the scene reads as, not the kept source text beside it.
    PERFORM fountainai_scenes_revised(ARRAY(
        SELECT unnest(ARRAY[o.heading_id, n.heading_id])
          FROM old_rows o JOIN new_rows n USING (element_id)
         WHERE (o.heading_id, o.kind, o.text, o.character_id, o.parenthetical, o.sequence_number,
                o.extension, o.dual, o.continues, o.depth)
               IS DISTINCT FROM
               (n.heading_id, n.kind, n.text, n.character_id, n.parenthetical, n.sequence_number,
                n.extension, n.dual, n.continues, n.depth)));
    RETURN NULL;
END
$$;

CREATE TRIGGER scene_revised_by_element_insert AFTER INSERT ON elements
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fountainai_elements_added();
CREATE TRIGGER scene_revised_by_element_update AFTER UPDATE ON elements
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fountainai_elements_changed();
CREATE TRIGGER scene_revised_by_element_delete AFTER DELETE ON elements
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fountainai_elements_removed();

-- Headings are few: a row trigger sets the revision before the row is written.
CREATE FUNCTION fountainai_heading_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR (OLD.title, OLD.scene_number, OLD.untitled)
                           IS DISTINCT FROM (NEW.title, NEW.scene_number, NEW.untitled) THEN
        NEW.revision := (SELECT COALESCE(MAX(revision), 0) + 1 FROM scripts WHERE script_id = NEW.script_id);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER scene_revised_by_heading BEFORE INSERT OR UPDATE OF title, scene_number, untitled
    ON section_headings FOR EACH ROW EXECUTE FUNCTION fountainai_heading_revised();
