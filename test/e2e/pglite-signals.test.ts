// SIGINT and SIGTERM on the embedded database, whose statements run on the main thread and cannot be cancelled.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;
// The notice says the migration is running; the sleep keeps it running well after the test's signal is sent.
const SLOW = "CREATE TABLE slow (id int);\nDO $$ BEGIN RAISE NOTICE 'slow started'; END $$;\nSELECT pg_sleep(2);\n-- revert:\nDROP TABLE slow;\n";

describe('signals on the embedded database', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)(
    '%s during a migration: stops before its next statement, rolls it back, releases the lock, exits %i',
    async (signal, exitCode) => {
      const dir = writeFiles(tempDir(), {
        '1.sql': table('one'), '2.sql': table('two'), '3.sql': table('three'), '4_slow.sql': SLOW,
        '5.sql': table('five'), '6.sql': table('six'), '7.sql': table('seven'),
      });
      const data = join(tempDir(), 'db');
      const db = `pglite:${data}`;
      let stderr = '';
      let sent = false;
      const r = await sqlmig(['up', '--dir', dir, '--db', db], {
        onSpawn: (child) => child.stderr!.on('data', (d) => {
          stderr += d;
          // Once: a second signal means "exit at once", and after the run it meets no handler at all.
          if (!sent && stderr.includes('4_slow: NOTICE: slow started')) { sent = true; child.kill(signal); }
        }),
      });
      expect(r.stderr).toContain(`sqlmig: ${signal} received, rolling back`);
      expect(r.stderr).toContain(`error[interrupted]: interrupted by ${signal}`);
      expect(r.code).toBe(exitCode);
      expect(r.stdout).toMatch(/applied +3 /);
      expect(r.stdout).not.toMatch(/4_slow|applied +5 /);
      expect(existsSync(`${data}.lock`)).toBe(false);

      // The lock is free: the next command runs, and sees what the interrupted run left.
      const status = await sqlmig(['status', '--dir', dir, '--db', db, '--json', '--lock-wait', '0']);
      expect(status.code).toBe(0);
      const states = JSON.parse(status.stdout).migrations.map((m: { name: string; state: string }) => `${m.name}:${m.state}`);
      expect(states).toEqual(['1:applied', '2:applied', '3:applied', '4_slow:pending', '5:pending', '6:pending', '7:pending']);

      const { PGlite } = await import('@electric-sql/pglite');
      const pglite = new PGlite(data);
      try {
        const tables = await pglite.query<{ relname: string }>(
          `SELECT relname FROM pg_class WHERE relname IN ('one', 'two', 'three', 'slow', 'five', 'six', 'seven') ORDER BY relname`);
        expect(tables.rows.map((t) => t.relname)).toEqual(['one', 'three', 'two']);
      } finally {
        await pglite.close();
      }
    },
  );
});
