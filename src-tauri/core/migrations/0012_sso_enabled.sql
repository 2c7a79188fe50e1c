-- Single sign-on can be deactivated per application: the configuration is kept, Lanyard signs
-- nothing for it until the admin activates it again.
ALTER TABLE applications ADD COLUMN sso_enabled INTEGER NOT NULL DEFAULT 1 CHECK (sso_enabled IN (0, 1));
