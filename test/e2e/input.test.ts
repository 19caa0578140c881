// Bad and unusual input: found before connecting, reported at its place; odd but valid files applied.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const UNREACHABLE = 'postgres://postgres@203.0.113.1:5432/never';

describe('input errors are found before any connection', () => {
  it('reports every problem of the fixture folder from up, with exit 2 (not 3) on an unreachable server', async () => {
    const dir = tempDir();
    cpSync('test/fixtures/all-errors', dir, { recursive: true });
    for (const command of [['up'], ['down', '--all'], ['status']]) {
      const r = await sqlmig([...command, '--dir', dir, '--db', UNREACHABLE]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/sqlmig: 11 errors, 1 warning\n$/);
    }
  });

  it('rejects other tools\' files and markers with exit 2 (not 3), each at its place, naming the tool', async () => {
    const dir = writeFiles(tempDir(), {
      '1_users.up.sql': 'CREATE TABLE users (id int);\n',
      '1_users.down.sql': 'DROP TABLE users;\n',
      '2_orders.sql': '-- migrate:up\nCREATE TABLE orders (id int);\n\n-- migrate:down\nDROP TABLE orders;\n',
    });
    const r = await sqlmig(['up', '--dir', dir, '--db', UNREACHABLE]);
    expect(r.code).toBe(2);
    const located = r.stderr.split('\n').filter((line) => line.startsWith(dir)).map((line) => line.slice(dir.length + 1));
    expect(located).toEqual([
      '1_users.down.sql:1:1 error[foreign-file]: "1_users.down.sql" is a golang-migrate down file: sqlmig would run it during up, as a migration of its own',
      '1_users.up.sql:1:1 error[foreign-file]: "1_users.up.sql" is a golang-migrate up file: sqlmig would apply it as a migration of its own',
      '2_orders.sql:1:1 error[foreign-marker]: "-- migrate:up" is a dbmate marker, not sqlmig\'s',
      '2_orders.sql:4:1 error[foreign-marker]: "-- migrate:down" is a dbmate marker: sqlmig would read it as a comment and run the down SQL during up',
    ]);
    expect(r.stderr).toContain('hint: convert its folder with "sqlmig import --from golang-migrate FOLDER"; by hand, merge the pair into one file in '
      + "sqlmig's format, 1_users.sql: the SQL of 1_users.up.sql");
    expect(r.stderr).toContain('hint: this is a dbmate file: convert its folder with "sqlmig import --from dbmate FOLDER"; by hand, in sqlmig\'s format '
      + '(up SQL first, then a line "-- revert:", then the down SQL), replace this line with "-- revert:"');
    expect(r.stderr).toMatch(/sqlmig: 4 errors\n$/);
  });

  it('exits 2 for a missing folder and 0 with nothing to do for an empty one', async () => {
    expect((await sqlmig(['up', '--dir', 'no/such/dir', '--db', UNREACHABLE])).code).toBe(2);
    expect((await sqlmig(['up', '--dir', tempDir(), '--db', 'pglite:memory'])).stdout).toBe('nothing to do: every migration is applied\n');
  });

  it('rejects a malformed option value with exit 2', async () => {
    const r = await sqlmig(['up', '--dir', tempDir(), '--lock-timeout', 'soon', '--db', UNREACHABLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lock-timeout takes a duration such as 10s');
  });
});

describe.skipIf(!postgresUrl)('unusual but valid files on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const run = (...args: string[]) => sqlmig([...args, '--dir', dir, '--db', db.url!]);

  it('parses and applies a 10 MB migration', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `(${i}, '${'x'.repeat(40)} ''quoted'' ; -- not a comment ${i}')`).join(',\n');
    const statements = Array.from({ length: 70 }, () => `INSERT INTO big (id, payload) VALUES\n${rows};`).join('\n');
    const text = `CREATE TABLE big (id int, payload text);\n${statements}\n-- revert:\nDROP TABLE big;\n`;
    expect(text.length).toBeGreaterThan(10_000_000);
    writeFiles(dir, { 'big.sql': text });
    const r = await run('up');
    expect(r.code).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM big')).toEqual([{ n: 140_000 }]);
  });

  it('never takes directive- or marker-like text inside comments, strings, identifiers or dollar quotes', async () => {
    writeFiles(dir, {
      'f.sql': [
        '-- requires: base', 'CREATE FUNCTION note() RETURNS text LANGUAGE sql AS $body$', '  SELECT $$', '-- revert:',
        '-- requires: nothing_like_this', '$$::text', '$body$;', '/*', '-- revert:', '*/', "COMMENT ON FUNCTION note() IS '",
        '-- revert:', "';", 'CREATE TABLE "', '-- verify:', '" (id int);', '-- revert:', 'DROP TABLE "\n-- verify:\n";', 'DROP FUNCTION note();', '',
      ].join('\n'),
      'base.sql': 'SELECT 1;\n-- revert:\n',
    });
    expect((await run('up')).code).toBe(0);
    expect(await db.query('SELECT note() AS n')).toEqual([{ n: '\n-- revert:\n-- requires: nothing_like_this\n' }]);
    expect((await run('down', '--only', 'f')).code).toBe(0);
    expect(await db.query(`SELECT 1 FROM pg_proc WHERE proname = 'note'`)).toEqual([]);
  });

  it('applies CRLF, lone-CR and BOM files; changing an applied file\'s line endings is not drift', async () => {
    writeFiles(dir, {
      'crlf.sql': '-- requires: bom\r\nCREATE TABLE crlf (id int);\r\n-- revert:\r\nDROP TABLE crlf;\r\n',
      'cr.sql': 'CREATE TABLE cr (id int);\r-- revert:\rDROP TABLE cr;\r',
      'bom.sql': '\uFEFFCREATE TABLE bom (id int);\n-- revert:\nDROP TABLE bom;\n',
    });
    expect((await run('up')).code).toBe(0);
    const crlf = join(dir, 'crlf.sql');
    writeFileSync(crlf, readFileSync(crlf, 'utf8').replace(/\r\n/g, '\n'));
    const status = await run('status', '--exit-code');
    expect(status.code).toBe(0);
    expect((await run('down', '--all')).code).toBe(0);
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname IN ('crlf', 'cr', 'bom')`)).toEqual([]);
  });
});
