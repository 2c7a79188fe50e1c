-- The guided setup checklist: what the admin said of the steps only the admin can confirm
-- (Salesforce-side work Lanyard cannot see). Derived steps are computed, never stored here.
CREATE TABLE setup_marks (
    app_id     TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    step       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (app_id, step)
);
