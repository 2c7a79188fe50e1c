-- SCIM provisioning: one connection per application, the links between directory users / groups
-- and the target's resources (with what was last pushed), the runs, and the outbox.
-- Plain SQL that PostgreSQL also runs (no STRICT, AUTOINCREMENT or WITHOUT ROWID here): a
-- headless server mode on a shared PostgreSQL is planned. Flags are BOOLEAN. Timestamps are
-- RFC 3339 text here; the PostgreSQL mode will declare them TIMESTAMPTZ (the one SQLite-only
-- choice, with the queries that bind them, in this file and links.rs / outbox.rs / sync.rs).
-- Tokens are never here: they live in the OS keyring (see src/secrets.rs).

CREATE TABLE scim_connections (
    app_id           TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    -- salesforce: OAuth to a Salesforce org (or the practice org); scim: any SCIM 2.0 server + bearer token
    kind             TEXT NOT NULL CHECK (kind IN ('salesforce', 'scim')),
    scim_base        TEXT NOT NULL,
    -- OAuth only: where authorize, token and revoke live, and the consumer key
    login_host       TEXT,
    client_id        TEXT,
    -- who authorized (the identity URL of the token response), for "connected as"
    account          TEXT,
    state            TEXT NOT NULL CHECK (state IN ('connected', 'reauth_needed', 'deactivated')),
    -- what leaving scope does on targets that can delete users
    deprovision      TEXT NOT NULL DEFAULT 'deactivate' CHECK (deprovision IN ('deactivate', 'delete')),
    auto_push        BOOLEAN NOT NULL DEFAULT TRUE,
    -- found by "Test connection": the Standard User profile's id (NULL: the target has no Entitlements)
    profile_id       TEXT,
    has_entitlements BOOLEAN NOT NULL DEFAULT FALSE,
    -- the prerequisites say Salesforce's state and country picklists are on: addresses with a
    -- state or country would be refused, so such users are stopped before any request
    picklists_on     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- A directory user provisioned to an application's target. No foreign key to users on purpose:
-- a deleted user must still be deactivated remotely.
CREATE TABLE scim_user_links (
    app_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    remote_id   TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    -- what was last pushed (canonical JSON of the managed attributes) and its SHA-256
    pushed      TEXT NOT NULL,
    pushed_hash TEXT NOT NULL,
    active      BOOLEAN NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
CREATE UNIQUE INDEX scim_user_links_remote ON scim_user_links (app_id, remote_id);

CREATE TABLE scim_group_links (
    app_id       TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    group_id     TEXT NOT NULL,
    remote_id    TEXT NOT NULL,
    display_name TEXT NOT NULL,
    -- Lanyard created the remote group (only such a group is ever deleted); false: matched by name
    created      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (app_id, group_id)
);

-- The members last pushed to each linked group.
CREATE TABLE scim_group_members (
    app_id   TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (app_id, group_id, user_id)
);

CREATE TABLE sync_runs (
    id             TEXT PRIMARY KEY NOT NULL,
    app_id         TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    status         TEXT NOT NULL CHECK (status IN ('running', 'done', 'stopped', 'cancelled', 'interrupted')),
    planned        INTEGER NOT NULL DEFAULT 0,
    created        INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    deactivated    INTEGER NOT NULL DEFAULT 0,
    deleted        INTEGER NOT NULL DEFAULT 0,
    linked         INTEGER NOT NULL DEFAULT 0,
    groups_updated INTEGER NOT NULL DEFAULT 0,
    held           INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    requests       INTEGER NOT NULL DEFAULT 0,
    message        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_app ON sync_runs (app_id, started_at);

-- One sync at a time per application, across processes (the window and the CLI): the holder's
-- process id and host, refreshed while it runs; a row whose holder is gone or silent is taken over.
CREATE TABLE sync_locks (
    app_id       TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    run_id       TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);

-- Every operation is written here before it is sent and marked after, so a crash resumes with
-- nothing lost and nothing duplicated. The body never holds a password.
CREATE TABLE scim_outbox (
    id          TEXT PRIMARY KEY NOT NULL,
    app_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    run_id      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('user_create', 'user_update', 'user_deactivate',
                    'user_delete', 'group_create', 'group_update', 'group_delete')),
    user_id     TEXT,
    group_id    TEXT,
    remote_id   TEXT,
    target      TEXT NOT NULL,
    body        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'failed', 'held', 'superseded')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX scim_outbox_open ON scim_outbox (app_id, state);
CREATE INDEX scim_outbox_run ON scim_outbox (run_id, seq);
