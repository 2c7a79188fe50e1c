-- The Login URL (ACS) of the Salesforce single sign-on configuration that trusts an IdP
-- certificate. NULL: the ACS of the SP metadata. Salesforce trusts one certificate per
-- configuration, so a rollover without a gap binds the next certificate to a second one.
ALTER TABLE idp_certificates ADD COLUMN acs_url TEXT;
