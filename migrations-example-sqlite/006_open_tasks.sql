-- requires: 005_projects_name_required, 003_tasks
-- What is left to do, per project. SQLite also quotes names with [brackets] and `backticks`.

CREATE VIEW [open tasks] AS
  SELECT p.name AS `project`, t.title AS "task", t.status
    FROM tasks t JOIN projects p ON p.id = t.project_id
   WHERE t.status <> 'done';

-- revert:
DROP VIEW [open tasks];
