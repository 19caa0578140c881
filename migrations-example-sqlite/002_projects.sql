-- requires: 001_accounts
-- A project belongs to one account and goes with it.

CREATE TABLE projects (
  id       INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name     TEXT
);
CREATE INDEX projects_owner ON projects (owner_id);

-- revert:
DROP TABLE projects;
