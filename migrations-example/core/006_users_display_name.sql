-- requires: core/003_users
-- Accretion: a new nullable column keeps every running version of the application working.

ALTER TABLE app.users ADD COLUMN display_name text;
COMMENT ON COLUMN app.users.display_name IS 'Shown instead of the email when set';

-- revert:
ALTER TABLE app.users DROP COLUMN display_name;
