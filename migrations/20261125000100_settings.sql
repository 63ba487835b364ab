-- What the app remembers between runs (the last open script, the active session, …).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
