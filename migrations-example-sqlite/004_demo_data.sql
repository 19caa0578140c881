-- requires: 003_tasks
-- A demo account with a project and two tasks, so the rebuild in 005 has rows to keep.

INSERT INTO accounts (id, email) VALUES (1, 'demo@example.com');
INSERT INTO projects (id, owner_id, name) VALUES (1, 1, 'Launch');
INSERT INTO tasks (project_id, title) VALUES (1, 'Write the docs'), (1, 'Ship it');

-- revert:
DELETE FROM accounts WHERE id = 1;
