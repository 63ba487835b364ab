-- PostgreSQL only. Each order had two indexes on the same columns: the unique constraint's
-- (deferred, so a reorder can pass through duplicates within its transaction) and a plain
-- one. Queries use the constraint's just as well, and every inserted line paid for both.
DROP INDEX scripts_order;
DROP INDEX section_headings_order;
DROP INDEX characters_order;
DROP INDEX elements_order;
