-- requires: core/001_schema
-- A trigger function that keeps updated_at current on every UPDATE.

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only move the timestamp when something really changed.
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END;
$$;

-- revert:
DROP FUNCTION app.touch_updated_at();
