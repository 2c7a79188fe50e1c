-- Settings of the whole installation (not of one application), one row per key. Never a secret.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
