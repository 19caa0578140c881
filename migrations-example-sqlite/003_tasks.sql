-- requires: 002_projects
-- Tasks, their status checked and their update time kept by triggers.

CREATE TABLE tasks (
  id         INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'open',
  updated_at TEXT
);

-- One statement each, semicolons inside and all: sqlmig reads BEGIN … END (and CASE … END) as SQLite does.
CREATE TRIGGER tasks_status_check BEFORE INSERT ON tasks BEGIN
  SELECT CASE
    WHEN NEW.status NOT IN ('open', 'doing', 'done') THEN RAISE(ABORT, 'status must be open, doing or done')
  END;
END;

CREATE TRIGGER tasks_touch AFTER UPDATE OF title, status ON tasks BEGIN
  UPDATE tasks SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

-- revert:
DROP TABLE tasks;
