-- Named events: every attempt an admin (or a sync) makes, with its outcome, newest first on the
-- Events page. No secrets: details say what happened, never a token or a key.
CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    app_name TEXT,
    name     TEXT NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX events_at ON events (id DESC);
