-- Each scene's revision: the script's revision when its heading or one of its elements last
-- changed. A writer's save that started from script revision R learns which scenes another
-- writer changed since (`revision > R`), and is told so by name. Triggers keep it, so every
-- path that writes a scene (editor, CLI, undo, restore, import) counts without knowing.
ALTER TABLE section_headings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- Once per scene and revision: an import's thousands of lines find their new scene stamped.
CREATE TRIGGER scene_revised_by_element_insert AFTER INSERT ON elements
WHEN (SELECT h.revision <= s.revision FROM section_headings h JOIN scripts s ON s.script_id = h.script_id
       WHERE h.heading_id = NEW.heading_id)
BEGIN
    UPDATE section_headings SET revision = (SELECT COALESCE(MAX(s.revision), 0) + 1 FROM scripts s WHERE s.script_id = section_headings.script_id)
     WHERE heading_id = NEW.heading_id;
END;

CREATE TRIGGER scene_revised_by_element_update AFTER UPDATE ON elements
WHEN OLD.heading_id IS NOT NEW.heading_id OR OLD.kind IS NOT NEW.kind OR OLD.text IS NOT NEW.text
  OR OLD.character_id IS NOT NEW.character_id OR OLD.parenthetical IS NOT NEW.parenthetical
  OR OLD.sequence_number IS NOT NEW.sequence_number OR OLD.extension IS NOT NEW.extension
  OR OLD.dual IS NOT NEW.dual OR OLD.continues IS NOT NEW.continues OR OLD.depth IS NOT NEW.depth
BEGIN
    UPDATE section_headings SET revision = (SELECT COALESCE(MAX(s.revision), 0) + 1 FROM scripts s WHERE s.script_id = section_headings.script_id)
     WHERE heading_id IN (OLD.heading_id, NEW.heading_id);
END;

CREATE TRIGGER scene_revised_by_element_delete AFTER DELETE ON elements BEGIN
    UPDATE section_headings SET revision = (SELECT COALESCE(MAX(s.revision), 0) + 1 FROM scripts s WHERE s.script_id = section_headings.script_id)
     WHERE heading_id = OLD.heading_id;
END;

CREATE TRIGGER scene_revised_by_heading_insert AFTER INSERT ON section_headings BEGIN
    UPDATE section_headings SET revision = (SELECT COALESCE(MAX(s.revision), 0) + 1 FROM scripts s WHERE s.script_id = section_headings.script_id)
     WHERE heading_id = NEW.heading_id;
END;

CREATE TRIGGER scene_revised_by_heading_update AFTER UPDATE OF title, scene_number, untitled ON section_headings
WHEN OLD.title IS NOT NEW.title OR OLD.scene_number IS NOT NEW.scene_number OR OLD.untitled IS NOT NEW.untitled
BEGIN
    UPDATE section_headings SET revision = (SELECT COALESCE(MAX(s.revision), 0) + 1 FROM scripts s WHERE s.script_id = section_headings.script_id)
     WHERE heading_id = NEW.heading_id;
END;
