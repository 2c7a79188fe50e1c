-- SAML: what Salesforce (the SP) told us, the IdP signing certificates with their rollover state,
-- and the per-application response settings. Private keys are never here: they live in the OS
-- keyring under app/<application id>/idp-key/<certificate id>.

CREATE TABLE sp_configs (
    app_id                 TEXT PRIMARY KEY NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    entity_id              TEXT NOT NULL,
    acs_url                TEXT NOT NULL,
    acs_binding            TEXT NOT NULL,
    authn_requests_signed  INTEGER NOT NULL CHECK (authn_requests_signed IN (0, 1)),
    want_assertions_signed INTEGER NOT NULL CHECK (want_assertions_signed IN (0, 1)),
    -- where it came from: metadata (file, drop or paste) or manual entry
    source                 TEXT NOT NULL CHECK (source IN ('metadata', 'manual')),
    valid_until            TEXT,
    updated_at             TEXT NOT NULL
) STRICT;

-- Salesforce's signing certificates (from metadata or imported); used to verify AuthnRequests.
CREATE TABLE sp_certificates (
    app_id     TEXT NOT NULL REFERENCES sp_configs(app_id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL,
    cert_pem   TEXT NOT NULL,
    not_after  TEXT NOT NULL,
    PRIMARY KEY (app_id, sha256)
) STRICT;

CREATE TABLE idp_certificates (
    id           TEXT PRIMARY KEY NOT NULL,
    app_id       TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    -- next: published, not yet signing; active: signing; previous: published after a switch;
    -- retired: no longer published, key deleted from the keyring
    status       TEXT NOT NULL CHECK (status IN ('next', 'active', 'previous', 'retired')),
    cert_pem     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    key_bits     INTEGER NOT NULL,
    not_before   TEXT NOT NULL,
    not_after    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    activated_at TEXT,
    retired_at   TEXT
) STRICT;
CREATE UNIQUE INDEX idp_certificates_one_active ON idp_certificates(app_id) WHERE status = 'active';
CREATE UNIQUE INDEX idp_certificates_one_next ON idp_certificates(app_id) WHERE status = 'next';

CREATE TABLE saml_settings (
    app_id          TEXT PRIMARY KEY NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    lifetime_secs   INTEGER NOT NULL DEFAULT 300 CHECK (lifetime_secs BETWEEN 30 AND 3600),
    sign            TEXT NOT NULL DEFAULT 'both' CHECK (sign IN ('assertion', 'response', 'both')),
    name_id_format  TEXT NOT NULL DEFAULT 'unspecified' CHECK (name_id_format IN ('unspecified', 'email_address')),
    updated_at      TEXT NOT NULL
) STRICT;

-- Attributes sent in the assertion (Salesforce just-in-time provisioning reads them): each comes
-- from a directory field or is a constant, can be renamed, and can be switched off.
CREATE TABLE saml_attributes (
    app_id    TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('email', 'firstname', 'lastname', 'displayname', 'federation_id',
                                              'job_title', 'department', 'company', 'employee_identifier',
                                              'phone', 'constant')),
    constant  TEXT,
    enabled   INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (app_id, name),
    CHECK ((source = 'constant') = (constant IS NOT NULL))
) STRICT;
