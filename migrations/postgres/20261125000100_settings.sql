-- What the app remembers between runs (the last open script, the active session, …): small
-- JSON values by key.
CREATE TABLE settings (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL CONSTRAINT settings_value_json CHECK (value::json IS NOT NULL)
);
