-- PostgreSQL only. The JSON columns take the server's own `json` type instead of TEXT behind a
-- CHECK. `json` (not `jsonb`) stores the text exactly as written, spacing, key order and
-- duplicate keys included, so versions and title pages still come back byte for byte.
--
-- sqlx's Any driver neither reads nor binds `json`: the core reads these columns as
-- `CAST(col AS TEXT)` and writes them as `CAST($n AS json_text)`. `json_text` is a domain over
-- `json`, so the server parses the text into the column; SQLite reads the same SQL as a cast to
-- TEXT (a type name containing "TEXT" has TEXT affinity), which leaves the text as it is.
CREATE DOMAIN json_text AS json;

ALTER TABLE versions DROP CONSTRAINT versions_data_json;
ALTER TABLE versions ALTER COLUMN data TYPE json USING data::json;

ALTER TABLE settings DROP CONSTRAINT settings_value_json;
ALTER TABLE settings ALTER COLUMN value TYPE json USING value::json;

ALTER TABLE scripts DROP CONSTRAINT scripts_title_page_json;
ALTER TABLE scripts ALTER COLUMN title_page TYPE json USING title_page::json;

ALTER TABLE characters DROP CONSTRAINT characters_leitmotif_json;
ALTER TABLE characters ALTER COLUMN leitmotif TYPE json USING leitmotif::json;
