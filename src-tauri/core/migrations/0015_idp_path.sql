-- An application's IdP URL is <IdP address>/saml2/<idp_path>. The path is the application's name
-- unless the admin chose another at creation or moved it later (a guided re-point); every
-- application has its own.
ALTER TABLE applications ADD COLUMN idp_path TEXT;
UPDATE applications SET idp_path = name;
CREATE UNIQUE INDEX applications_idp_path ON applications (idp_path);
