import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

/** A small MySQL project: a table, then a procedure between DELIMITER lines, `#` comments. */
const PROJECT = {
  '001_orders.sql': "# Orders; the table's first version.\nCREATE TABLE orders (id INT PRIMARY KEY, note TEXT);\n-- revert:\nDROP TABLE orders;\n",
  '002_archive.sql': [
    '-- requires: 001_orders',
    'DELIMITER $$',
    'CREATE PROCEDURE archive() BEGIN DELETE FROM orders WHERE note = \'it\\\'s old\'; END$$',
    'DELIMITER ;',
    '-- revert:',
    'DROP PROCEDURE archive;',
    '',
  ].join('\n'),
};

describe('the mysql dialect from the command line', () => {
  it('reads a MySQL project with --dialect mysql or "dialect" in the config file, and not as PostgreSQL', async () => {
    const dir = writeFiles(tempDir(), PROJECT);
    const r = await sqlmig(['graph', '--dir', dir, '--dialect', 'mysql']);
    expect(r).toMatchObject({ code: 0, stdout: '1. 001_orders\n2. 002_archive  (requires 001_orders)\n' });
    const cwd = writeFiles(tempDir(), { ...PROJECT, 'sqlmig.config.json': '{"dir": ".", "dialect": "mysql"}' });
    expect((await sqlmig(['graph'], { cwd })).stdout).toBe(r.stdout);
    // As PostgreSQL, the apostrophe in the # comment opens a string.
    const asPostgres = await sqlmig(['graph', '--dir', dir]);
    expect(asPostgres.code).toBe(2);
    expect(asPostgres.stderr).toContain('001_orders.sql:1:20 error[unterminated-string]');
  });

  it('reports MySQL input errors at path:line:col, exit 2; the dialects are listed for an unknown one', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'source schema.sql\nSELECT 1;\n--revert:\nSELECT 2;\n',
      'b.sql': 'START TRANSACTION;\nINSERT INTO t VALUES (1);\n',
    });
    const r = await sqlmig(['lint', '--dir', dir, '--dialect', 'mysql']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir}/a.sql:1:1 error[client-command]: "source" is a mysql client command, not SQL`);
    expect(r.stderr).toContain(`${dir}/a.sql:3:1 error[dash-comment-without-space]`);
    expect(r.stderr).toContain(`${dir}/b.sql:1:1 error[transaction-control]: START TRANSACTION in a transactional migration`);
    const cwd = writeFiles(tempDir(), { 'sqlmig.config.json': '{"dialect": "oracle"}' });
    const unknown = await sqlmig(['graph'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the dialects are postgres, sqlite, mysql');
  });
});
