import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { asAdmin, postgresUrl } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

describe('sqlmig verify', () => {
  it('passes on the example project (exit 0)', async () => {
    const r = await sqlmig(['verify', '--dir', 'migrations-example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sqlmig verify on an in-memory PGlite: 11 of 11 migrations round-trip/);
  });

  it('exits 8 on a revert that does not restore the schema, with the difference; --json too', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE users (id int);\n-- revert:\nDROP TABLE users;\n',
      'b.sql': '-- requires: a\nALTER TABLE users ADD COLUMN email text;\n-- revert:\nSELECT 1;\n',
    });
    const r = await sqlmig(['verify', '--dir', dir]);
    expect(r.code).toBe(8);
    expect(r.stdout).toContain('FAIL         b: the revert does not restore the schema\n             column public.users.email: still present after revert\n');
    expect(r.stdout).toMatch(/1 of 2 migrations round-trip .*; 1 failure\n$/);
    const json = JSON.parse((await sqlmig(['verify', '--dir', dir, '--json'])).stdout);
    expect(json.results[1]).toMatchObject({ name: 'b', status: 'revert-incomplete', differences: [{ object: 'column public.users.email', change: 'still present' }] });
  });

  it('reports reverts that re-add dropped columns as notes, exit 0; --strict makes them failures (exit 8); --json carries the class', async () => {
    // Six tables of three columns; each later file drops a table's middle column and its revert adds it back, at the end.
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      files[`${i}_table.sql`] = `CREATE TABLE t${i} (id int, note text, n int);\n-- revert:\nDROP TABLE t${i};\n`;
      files[`${i}_trim.sql`] = `-- requires: ${i}_table\nALTER TABLE t${i} DROP COLUMN note;\n-- revert:\nALTER TABLE t${i} ADD COLUMN note text;\n`;
    }
    const dir = writeFiles(tempDir(), files);
    const r = await sqlmig(['verify', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('note         3_trim: the revert restores the schema but for cosmetic differences\n'
      + '             note: table public.t3: column order only (n 3 -> 2, note 2 -> 3); affects SELECT *, INSERT without a column list and COPY without a column list\n');
    expect(r.stdout).toMatch(/: 12 of 12 migrations round-trip \(deploy, revert, same schema, deploy\), 6 with cosmetic differences only \(notes; --strict fails them\)\n$/);
    const strict = await sqlmig(['verify', '--dir', dir, '--strict', '--json']);
    expect(strict.code).toBe(8);
    const report = JSON.parse(strict.stdout);
    expect(report).toMatchObject({ strict: true, ok: false });
    expect(report.results.find((x: { name: string }) => x.name === '3_trim')).toMatchObject({
      status: 'cosmetic', differences: [{ object: 'column public.t3.n', class: 'cosmetic', fields: [{ field: 'position', kind: 'column-order' }] }, { object: 'column public.t3.note' }],
    });
  });

  it('exits 8 on a missing requires with --isolation, naming the file to require', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE users (id int);\n-- revert:\nDROP TABLE users;\n',
      'b.sql': 'CREATE INDEX users_id ON users (id);\n-- revert:\nDROP INDEX users_id;\n',
    });
    const r = await sqlmig(['verify', '--isolation', '--dir', dir]);
    expect(r.code).toBe(8);
    expect(r.stdout).toContain(`MISSING      b: ${dir}/b.sql:1:1: relation "users" does not exist; add "-- requires: a" (it creates users)`);
  });
});

describe.skipIf(!postgresUrl)('sqlmig verify --db postgres://…: no temporary database outlives the run', () => {
  const SLOW = {
    'a.sql': 'CREATE TABLE a (id int);\n-- revert:\nDROP TABLE a;\n',
    'b.sql': '-- requires: a\nCREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n-- revert:\nDROP TABLE slow;\n',
  };
  /** The scratch databases of the sqlmig process `pid` (their names carry it). */
  const scratchOf = (pid: number) => `sqlmig_verify_${pid}_%`;
  const leftBehind = async (pid: number) =>
    (await asAdmin<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [scratchOf(pid)])).map((r) => r.datname);
  /** The scratch database in which that run's pg_sleep(60) is running, once it is. */
  const sleepingIn = async (pid: number) => (await asAdmin<{ datname: string }>(
    `SELECT datname FROM pg_stat_activity WHERE datname LIKE $1 AND query LIKE '%pg_sleep(60)%' AND state = 'active'`, [scratchOf(pid)]))[0]?.datname;
  const pids: number[] = [];
  /** Runs verify on the test server; with `whileSleeping`, called once the slow statement runs. */
  const verify = (args: string[], whileSleeping?: (child: ChildProcess, database: string) => Promise<void>, db = postgresUrl!) =>
    sqlmig(['verify', ...args, '--db', db], {
      onSpawn: (child) => {
        pids.push(child.pid!);
        let database: string | undefined;
        if (whileSleeping) {
          void waitFor(async () => (database = await sleepingIn(child.pid!)) !== undefined, 'the slow statement running')
            .then(() => whileSleeping(child, database!));
        }
      },
    });

  /** What a test left behind on purpose, or by failing. */
  const dropLeftovers = async () => {
    for (const name of (await Promise.all(pids.splice(0).map(leftBehind))).flat()) {
      await asAdmin(`ALTER DATABASE "${name}" IS_TEMPLATE false`);
      await asAdmin(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
  };
  afterEach(dropLeftovers);

  it('SIGINT while a file runs: rolled back, the scratch database dropped, exit 130', async () => {
    const r = await verify(['--dir', writeFiles(tempDir(), SLOW)], async (child) => void child.kill('SIGINT'));
    expect(r.stderr).toContain('interrupted by SIGINT: rolled back; every scratch database dropped');
    expect(r.code).toBe(130);
    expect(await leftBehind(pids[0])).toEqual([]);
  });

  it('SIGTERM during --isolation: the same, exit 143', async () => {
    const r = await verify(['--isolation', '--dir', writeFiles(tempDir(), SLOW)], async (child) => void child.kill('SIGTERM'));
    expect(r.code).toBe(143);
    expect(await leftBehind(pids[0])).toEqual([]);
  });

  it('names a scratch database it could not drop, to be dropped by hand', async () => {
    let name = '';
    const r = await verify(['--dir', writeFiles(tempDir(), SLOW)], async (child, database) => {
      name = database;
      // PostgreSQL refuses to drop a template database.
      await asAdmin(`ALTER DATABASE "${database}" IS_TEMPLATE true`);
      child.kill('SIGINT');
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`sqlmig: could not drop scratch database ${name} on ${postgresUrl}: cannot drop a template database; drop it by hand\n`);
    expect(r.stderr).toContain('interrupted by SIGINT: rolled back; 1 scratch database could not be dropped (named above)');
    expect(await leftBehind(pids[0])).toEqual([name]);
  });

  it('drops them when the run ends: all passing, a failing deploy (exit 8), and a transaction: off file (a database of its own)', async () => {
    const passing = await verify(['--dir', writeFiles(tempDir(), { 'a.sql': SLOW['a.sql'] })]);
    expect(passing.code).toBe(0);
    const failing = await verify(['--dir', writeFiles(tempDir(), { 'a.sql': SLOW['a.sql'], 'b.sql': 'SELECT nosuch;\n-- revert:\n' })]);
    expect(failing.code).toBe(8);
    const isolated = await verify(['--isolation', '--dir', writeFiles(tempDir(), {
      'a.sql': SLOW['a.sql'], 'b.sql': '-- requires: a\n-- transaction: off\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n-- revert:\nDROP INDEX a_id;\n',
    })]);
    expect(isolated.code).toBe(0);
    for (const pid of pids) expect(await leftBehind(pid)).toEqual([]);
  });

  it('drops a scratch database it created but could not open (the role may connect only once)', async () => {
    const role = `sqlmig_one_connection_${process.pid}`;
    await asAdmin(`CREATE ROLE ${role} LOGIN CREATEDB CONNECTION LIMIT 1`);
    try {
      const url = new URL(postgresUrl!);
      url.username = role;
      const r = await verify(['--dir', writeFiles(tempDir(), SLOW)], undefined, url.toString());
      expect(r.stderr).toContain(`too many connections for role "${role}"`);
      expect(r.code).toBe(3);
      expect(await leftBehind(pids[0])).toEqual([]);
    } finally {
      await dropLeftovers();
      await asAdmin(`DROP ROLE ${role}`);
    }
  });
});
