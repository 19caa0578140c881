-- requires: core/001_schema
-- The plans a team can subscribe to, with a few rows to start from.

CREATE TABLE app.plans (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0)
);

INSERT INTO app.plans (code, name, price_cents) VALUES
  ('free', 'Free', 0),
  ('team', 'Team', 1900),
  ('business', 'Business', 9900);

-- revert:
DROP TABLE app.plans;
