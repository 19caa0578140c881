-- requires: 004_demo_data
-- foreign-keys: off
-- SQLite's ALTER TABLE cannot add NOT NULL or CHECK to a column: rebuild the table, as SQLite
-- documents (https://www.sqlite.org/lang_altertable.html#otheralter). With foreign keys on,
-- DROP TABLE projects would delete every task (ON DELETE CASCADE); with "foreign-keys: off" sqlmig
-- turns them off around the transaction and runs PRAGMA foreign_key_check before COMMIT.

CREATE TABLE new_projects (
  id       INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name     TEXT NOT NULL CHECK (length(name) > 0)
);
INSERT INTO new_projects (id, owner_id, name) SELECT id, owner_id, coalesce(name, 'project ' || id) FROM projects;
DROP TABLE projects;
ALTER TABLE new_projects RENAME TO projects;
CREATE INDEX projects_owner ON projects (owner_id);

-- revert:
CREATE TABLE old_projects (
  id       INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name     TEXT
);
INSERT INTO old_projects (id, owner_id, name) SELECT id, owner_id, name FROM projects;
DROP TABLE projects;
ALTER TABLE old_projects RENAME TO projects;
CREATE INDEX projects_owner ON projects (owner_id);
