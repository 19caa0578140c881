-- requires: core/001_schema
-- Teams own subscriptions; users join them through memberships.

CREATE TABLE app.teams (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- revert:
DROP TABLE app.teams;
