-- requires: core/003_users, core/004_teams
-- Who belongs to which team, and with which role.

CREATE TYPE app.team_role AS ENUM ('member', 'admin', 'owner');

CREATE TABLE app.memberships (
  user_id   uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  team_id   uuid NOT NULL REFERENCES app.teams (id) ON DELETE CASCADE,
  role      app.team_role NOT NULL DEFAULT 'member',
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON app.memberships (user_id);

-- revert:
DROP TABLE app.memberships;
DROP TYPE app.team_role;
