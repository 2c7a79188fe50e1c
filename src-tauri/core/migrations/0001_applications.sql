-- Applications: one row per service provider Lanyard is the identity provider for.
CREATE TABLE applications (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT 'salesforce' CHECK (kind IN ('salesforce')),
    sandbox     INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
