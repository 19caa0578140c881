-- requires: billing/001_plans, core/004_teams
-- One subscription per team at a time.

CREATE TABLE app.subscriptions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id    uuid NOT NULL UNIQUE REFERENCES app.teams (id),
  plan_code  text NOT NULL REFERENCES app.plans (code),
  started_at timestamptz NOT NULL DEFAULT now()
);

-- revert:
DROP TABLE app.subscriptions;
