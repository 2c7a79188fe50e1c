-- The directory: users, groups, memberships, which groups an application authorizes, and a feed of
-- every change to them (provisioning reads the feed; the window polls its newest id).

-- A person. `email` is also the Salesforce username; `email_key` is its lower-case form, the key
-- uniqueness and look-ups use (emails compare case-insensitively).
CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL,
    email               TEXT NOT NULL,
    email_key           TEXT NOT NULL UNIQUE CHECK (email_key = lower(email)),
    firstname           TEXT NOT NULL DEFAULT '',
    lastname            TEXT NOT NULL,
    displayname         TEXT NOT NULL DEFAULT '',
    employee_type       TEXT NOT NULL DEFAULT '',
    job_title           TEXT NOT NULL DEFAULT '',
    employee_identifier TEXT NOT NULL DEFAULT '',
    department          TEXT NOT NULL DEFAULT '',
    company             TEXT NOT NULL DEFAULT '',
    address_type        TEXT NOT NULL DEFAULT '',
    street_address      TEXT NOT NULL DEFAULT '',
    locality            TEXT NOT NULL DEFAULT '',
    region              TEXT NOT NULL DEFAULT '',
    postal_code         TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    phone_type          TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    suspended           INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    password_expired    INTEGER NOT NULL DEFAULT 0 CHECK (password_expired IN (0, 1)),
    -- Salesforce's FederationIdentifier; NULL when not set. Unique when set (one org user each).
    federation_id       TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_federation_id ON users (federation_id) WHERE federation_id IS NOT NULL;
CREATE INDEX users_department ON users (department);
CREATE INDEX users_lastname ON users (lastname, firstname);

-- A group of users. Names are unique case-insensitively: `name_key` is the name lower-cased by
-- Lanyard (Unicode-aware, which SQLite's lower() is not, so no CHECK here).
CREATE TABLE groups (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members (user_id);

-- A group bound to an application: its members are authorized for that application.
CREATE TABLE app_group_bindings (
    app_id     TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app_id, group_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX app_group_bindings_group ON app_group_bindings (group_id);

-- Every change to users, memberships and bindings, in order. No foreign keys on purpose: the feed
-- outlives the rows it speaks of (a deleted user still has to be deprovisioned). `detail` is the
-- email or group name at the time, for people reading the feed.
CREATE TABLE directory_changes (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN (
                 'user_created', 'user_updated', 'user_deleted', 'user_suspended', 'user_unsuspended',
                 'group_created', 'group_updated', 'group_deleted',
                 'member_added', 'member_removed', 'binding_added', 'binding_removed')),
    user_id  TEXT,
    group_id TEXT,
    app_id   TEXT,
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX directory_changes_user ON directory_changes (user_id);
