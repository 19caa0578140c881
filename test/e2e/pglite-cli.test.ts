// The zero-setup path: no DATABASE_URL, the embedded PostgreSQL in .sqlmig/pglite of the working directory.
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { embeddedTemplate } from '../../src/embedded-template.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const SYSTEM_ID = 'SELECT system_identifier::text AS id FROM pg_control_system()';

describe('sqlmig on the embedded default (PGlite)', () => {
  const cwd = tempDir();
  cpSync('migrations-example', join(cwd, 'migrations-example'), { recursive: true });
  const run = (...args: string[]) => sqlmig([...args, '--dir', 'migrations-example'], { cwd });

  it('applies the example, says where the database is, then has nothing to do', async () => {
    const first = await run('up');
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('sqlmig: using the embedded database at .sqlmig/pglite/ (set --db or DATABASE_URL to use a server)\n');
    expect(first.stdout).toMatch(/11 migrations applied to pglite:\.sqlmig\/pglite in /);
    expect(existsSync(join(cwd, '.sqlmig/pglite'))).toBe(true);
    expect(existsSync(join(cwd, '.sqlmig/pglite.lock'))).toBe(false);
    const second = await run('up');
    expect(second.stdout).toBe('nothing to do: every migration is applied\n');
  });

  it('lists everything as applied, then reverts everything', async () => {
    const status = await run('status', '--json');
    const states = JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state);
    expect(states).toEqual(Array(11).fill('applied'));
    const down = await run('down', '--all');
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/11 migrations reverted/);
    const after = JSON.parse((await run('status', '--json')).stdout).migrations.map((m: { state: string }) => m.state);
    expect(after).toEqual(Array(11).fill('pending'));
  });

  it("starts every new embedded database from the build's template, pglite:memory too (not initdb)", async () => {
    // A database keeps the system identifier of the cluster it was made from; initdb draws a new one.
    const { PGlite } = await import('@electric-sql/pglite');
    const template = new PGlite({ loadDataDir: embeddedTemplate(new URL('../../dist/', import.meta.url)) });
    const [{ id }] = (await template.query<{ id: string }>(SYSTEM_ID)).rows;
    await template.close();
    const dir = writeFiles(tempDir(), { 'id.sql': `DO $$ BEGIN RAISE NOTICE 'system %', (${SYSTEM_ID}); END $$;\n-- revert:\n` });
    for (const db of ['pglite:memory', `pglite:${join(tempDir(), 'new')}`]) {
      const r = await sqlmig(['up', '--dir', dir, '--db', db]);
      expect(r.code).toBe(0);
      expect(r.stderr, db).toBe(`id: NOTICE: system ${id}\n`);
    }
  });

  it('lets one process at a time use the data directory: a second one waits --lock-wait, then exits 4', async () => {
    writeFileSync(join(cwd, 'migrations-example', 'zz_slow.sql'), 'SELECT pg_sleep(6);\n-- revert:\n');
    let second: Promise<Awaited<ReturnType<typeof sqlmig>>> | undefined;
    const first = sqlmig(['up', '--dir', 'migrations-example', '--quiet'], {
      cwd,
      onSpawn: () => {
        // Start the second run once the first holds the lock file.
        const start = Date.now();
        const poll = setInterval(() => {
          if (existsSync(join(cwd, '.sqlmig/pglite.lock')) || Date.now() - start > 20_000) {
            clearInterval(poll);
            second = sqlmig(['up', '--dir', 'migrations-example', '--lock-wait', '1s'], { cwd });
          }
        }, 20);
      },
    });
    const a = await first;
    const b = await second!;
    expect(a.code).toBe(0);
    expect(b.code).toBe(4);
    expect(b.stderr).toMatch(/the embedded database \.sqlmig\/pglite is in use by pid \d+/);
  });
});

describe('commands that write nothing create no embedded database', () => {
  const cwd = tempDir();
  cpSync('migrations-example', join(cwd, 'migrations-example'), { recursive: true });
  const run = (...args: string[]) => sqlmig([...args, '--dir', 'migrations-example'], { cwd });

  it('status, down, resolve and dry runs see an empty history and leave no .sqlmig behind', async () => {
    const status = await run('status', '--exit-code', '--json');
    expect(status.code).toBe(6);
    expect(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state)).toEqual(Array(11).fill('pending'));
    const down = await run('down');
    expect([down.code, down.stdout]).toEqual([0, 'nothing to revert\n']);
    expect((await run('down', '--all', '--dry-run')).stdout).toBe('dry run: nothing would be reverted on pglite:.sqlmig/pglite; nothing was changed\n');
    const plan = await run('up', '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('-- deploy core/001_schema\n');
    expect(plan.stdout).toContain('dry run: 11 migrations would be applied on pglite:.sqlmig/pglite; nothing was changed\n');
    expect((await run('up', '--log-only', '--dry-run')).stdout).toContain('dry run: 11 migrations would be recorded as applied');
    const resolve = await run('resolve', 'core/001_schema', '--reverted');
    expect(resolve.code).toBe(2);
    expect(resolve.stderr).toContain('"core/001_schema" has no history row to resolve');
    expect(existsSync(join(cwd, '.sqlmig'))).toBe(false);
  });

  it('nor does a pglite:PATH that is not there yet', async () => {
    const status = await run('status', '--db', 'pglite:data/db');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('pglite:data/db: 11 pending\n');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('pglite:memory works for every command, starting empty each time', async () => {
    const up = await run('up', '--db', 'pglite:memory');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/11 migrations applied to pglite:memory in /);
    expect((await run('status', '--db', 'pglite:memory')).stdout).toContain('pglite:memory: 11 pending\n');
    expect((await run('down', '--db', 'pglite:memory')).stdout).toBe('nothing to revert\n');
    expect(existsSync(join(cwd, '.sqlmig'))).toBe(false);
  });
});

describe('under CI, a database must be named', () => {
  const cwd = writeFiles(tempDir(), { 'migrations/1_a.sql': 'CREATE TABLE a (id int);\n-- revert:\nDROP TABLE a;\n' });
  const run = (args: string[], env: Record<string, string | undefined> = {}) => sqlmig(args, { cwd, env: { CI: 'true', ...env } });

  it('up, down, status and resolve without --db, DATABASE_URL or a configured db: exit 2, nothing created', async () => {
    for (const args of [['up'], ['up', '--dry-run'], ['down'], ['status', '--exit-code'], ['resolve', '1_a', '--applied']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'error[usage]: CI is set and no database was named: under CI, sqlmig does not fall back to the embedded database, which the job would throw away\n'
        + '  hint: name the database with --db postgres://…, DATABASE_URL or "db" in sqlmig.config.json; to use the embedded one on purpose: --db pglite:.sqlmig/pglite\n');
    }
    expect((await run(['status'], { CI: '1' })).code).toBe(2);
    // A secret that is not there expands to an empty variable: the message says so.
    const empty = await run(['up', '--json'], { DATABASE_URL: '' });
    expect(empty.code).toBe(2);
    expect(JSON.parse(empty.stdout).error.message).toContain('no database was named (DATABASE_URL is set but empty)');
    expect(existsSync(join(cwd, '.sqlmig'))).toBe(false);
  });

  it('works with the embedded database named on purpose, by --db, DATABASE_URL or the config file', async () => {
    const up = await run(['up', '--db', 'pglite:.sqlmig/pglite']);
    expect(up.code).toBe(0);
    expect(up.stderr).toBe('');
    expect(up.stdout).toMatch(/1 migration applied to pglite:\.sqlmig\/pglite in /);
    expect((await run(['status', '--exit-code'], { DATABASE_URL: 'pglite:.sqlmig/pglite' })).code).toBe(0);
    writeFileSync(join(cwd, 'sqlmig.config.json'), '{"db": "pglite:.sqlmig/pglite"}');
    try {
      const down = await run(['down']);
      expect([down.code, down.stdout]).toEqual([0, expect.stringMatching(/^reverted 1_a /)]);
    } finally {
      rmSync(join(cwd, 'sqlmig.config.json'));
    }
  });

  it('verify needs no database: its scratch database is in memory', async () => {
    const r = await run(['verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sqlmig verify on an in-memory PGlite: 1 of 1 migration round-trip');
  });
});
