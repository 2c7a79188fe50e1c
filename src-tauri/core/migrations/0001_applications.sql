-- Applications: one row per service provider (Salesforce org) Lanyard is the identity provider for.
CREATE TABLE applications (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT 'salesforce' CHECK (kind IN ('salesforce')),
    -- production (login.salesforce.com), sandbox (test.salesforce.com) or practice (the local simulator)
    environment TEXT NOT NULL CHECK (environment IN ('production', 'sandbox', 'practice')),
    -- where OAuth starts: the login host, a My Domain, or the practice org's address
    login_url   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
