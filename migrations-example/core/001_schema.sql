-- The application's schema. Everything else lives in it.

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'Application data, managed by sqlmig';

-- revert:
DROP SCHEMA app;
