-- Events grow what provisioning needs: outcomes skipped and warning, the target (a userName or a
-- group), the run, the HTTP status, the target's error code and the attempt number. SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt with its rows and ids kept.
CREATE TABLE events_v2 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    app_name    TEXT,
    name        TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped', 'warning')),
    detail      TEXT NOT NULL DEFAULT '',
    target      TEXT,
    run_id      TEXT,
    http_status INTEGER,
    error_code  TEXT,
    attempt     INTEGER
) STRICT;
INSERT INTO events_v2 (id, at, app_name, name, outcome, detail)
    SELECT id, at, app_name, name, outcome, detail FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_at ON events (id DESC);
CREATE INDEX events_app ON events (app_name, id);
CREATE INDEX events_run ON events (run_id) WHERE run_id IS NOT NULL;

-- Who made each directory change: the admin (window or CLI), a CSV import, an import from
-- Salesforce, or a sync. Provisioning never pushes back what it just imported.
ALTER TABLE directory_changes ADD COLUMN source TEXT NOT NULL DEFAULT 'admin'
    CHECK (source IN ('admin', 'csv_import', 'salesforce_import', 'sync'));
