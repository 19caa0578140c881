// The zero-setup path: no DATABASE_URL, the embedded PostgreSQL in .sqlmig/pglite of the working directory.
import { cpSync, existsSync, writeFileSync } from 'node:fs';
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
