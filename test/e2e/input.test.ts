// Bad and unusual input: found before connecting, reported at its place; odd but valid files applied.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { BIN, sqlmig } from '../helpers/cli.js';
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

  it('exits 2 for a missing folder; for an empty one, exits 0 saying the folder has no migrations', async () => {
    expect((await sqlmig(['up', '--dir', 'no/such/dir', '--db', UNREACHABLE])).code).toBe(2);
    const dir = writeFiles(tempDir(), { '_drafts/a.sql': 'SELECT 1;\n', 'notes.txt': 'not a migration\n' });
    const hint = '  hint: sqlmig new NAME creates one there, or point --dir or SQLMIG_DIR at the folder that has them\n';
    const said = (prefix: string) => ({ code: 0, stderr: '', stdout: `${prefix}the migrations folder ${dir} has no migrations\n${hint}` });
    expect(await sqlmig(['up', '--dir', dir, '--db', 'pglite:memory'])).toMatchObject(said('nothing to do: '));
    expect(await sqlmig(['up', '--dry-run', '--dir', dir, '--db', 'pglite:memory'])).toMatchObject(said('nothing to do: '));
    expect(await sqlmig(['down', '--dir', dir, '--db', 'pglite:memory'])).toMatchObject(said('nothing to revert: '));
    expect(await sqlmig(['status', '--dir', dir, '--db', 'pglite:memory'])).toMatchObject(said(''));
  });

  it('rejects a single-valued option given twice with exit 2, naming it and never its values', async () => {
    const dir = tempDir();
    const twice = await sqlmig(['up', '--dir', dir, '--db', 'postgres://u:secret@203.0.113.1/a', '--db', 'pglite:memory']);
    expect(twice).toMatchObject({ code: 2, stdout: '' });
    expect(twice.stderr).toBe('error[usage]: --db given more than once\n  hint: it takes one value: keep only the one you mean\n');
    const several = await sqlmig(['status', '--dir', dir, '--dir', dir, '--schema', 'a', '--schema=b', '--db', UNREACHABLE]);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('error[usage]: --dir, --schema given more than once\n');
    expect((await sqlmig(['down', '--dir', dir, '--only', 'a', '--only', 'b', '--db', UNREACHABLE])).stderr).toContain('--only given more than once');
    // Options that take a list still do.
    expect((await sqlmig(['new', 'c', '--dir', dir, '--requires', 'a', '--requires', 'b'])).stderr).toContain('unknown migration "a" in --requires');
  });

  it('says the working directory no longer exists (exit 2) when it was deleted under the shell', async () => {
    const gone = join(tempDir(), 'gone');
    mkdirSync(gone);
    // The shell enters the folder, removes it, and runs sqlmig from where it stands.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn('sh', ['-c', `cd '${gone}' && rmdir '${gone}' && exec "$0" "$1" status --db pglite:memory`, process.execPath, BIN],
        { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`error[usage]: the working directory ${gone} no longer exists\n`
      + '  hint: it was deleted or moved after the shell entered it: cd into an existing folder (cd "$PWD" if it was recreated) and run sqlmig again\n');
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
