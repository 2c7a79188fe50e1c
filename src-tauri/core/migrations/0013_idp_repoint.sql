-- The guided re-point: when the IdP's address (a setting) changes, each application whose
-- Salesforce org still has the old Identity Provider Login URL gets a row here, until an
-- SP-initiated login reaches the new address (which proves Salesforce was changed).
CREATE TABLE idp_repoints (
    app_id   TEXT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_url TEXT NOT NULL,
    to_url   TEXT NOT NULL,
    since    TEXT NOT NULL
);
