// What a run prints while it waits, piped (the harness pipes stderr): a line when a wait starts and one when it ends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockKey } from '../../src/drivers/pg-sql.js';
import { freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig, type CliOptions } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../helpers/net.js';

describe.skipIf(!postgresUrl)('progress while waiting', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const run = (args: string[], options: CliOptions = {}) => sqlmig([...args, '--dir', dir, '--db', db.url!], options);

  it('a second up waiting for the lock of a first one says so, naming the holder, and says when it got the lock', async () => {
    // The first run's migration waits behind a table lock the test holds, so the first run holds the migration lock until the test lets go.
    await db.query('CREATE TABLE gate (id int)');
    writeFiles(dir, { '1.sql': 'SELECT count(*) FROM gate;\n-- revert:\n' });
    const { default: pg } = await import('pg');
    const gatekeeper = new pg.Client(db.url);
    await gatekeeper.connect();
    await gatekeeper.query('BEGIN; LOCK TABLE gate IN ACCESS EXCLUSIVE MODE');
    const blockedPid = async () => (await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sqlmig' AND wait_event_type = 'Lock' AND query LIKE '%gate%'`))[0]?.pid;
    const first = run(['up', '--lock-timeout', '0']);
    await waitFor(async () => (await blockedPid()) !== undefined, 'the first run blocked in its migration');
    const holder = await blockedPid();
    let stderrSoFar = '';
    const second = run(['up'], {
      onSpawn: (child) => {
        child.stderr?.on('data', (d) => (stderrSoFar += d));
        // Let the first run finish once the second has said that it waits (or never did: the assertions below then fail).
        void waitFor(() => stderrSoFar.includes('waiting for the migration lock'), 'the waiting line')
          .catch(() => undefined).then(() => gatekeeper.query('COMMIT'));
      },
    });
    const [a, b] = await Promise.all([first, second]);
    await gatekeeper.end();
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe('nothing to do: every migration is applied\n');
    expect(b.stderr).toMatch(new RegExp(
      `^sqlmig: waiting for the migration lock held by pid ${holder}, application_name "sqlmig", user postgres…\\nsqlmig: got the lock after [\\d.]+ m?s\\n$`));
  });

  it('--quiet prints no waiting line, neither for the lock nor for the server', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id int);\n-- revert:\nDROP TABLE t;\n' });
    const { default: pg } = await import('pg');
    const holder = new pg.Client({ connectionString: db.url, application_name: 'deploy-bot' });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [lockKey('sqlmig').toString()]);
    // Once sqlmig has tried for the lock (and failed: the test holds it), the test lets go.
    const tried = async () => (await db.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sqlmig' AND query LIKE '%pg_try_advisory_lock%'`)).length > 0;
    const quiet = await run(['up', '--quiet'], {
      onSpawn: () => void waitFor(tried, 'sqlmig trying for the lock').then(() => holder.end()),
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const refused = await sqlmig(['status', '--dir', dir, '--db', `postgres://postgres@127.0.0.1:${await freePort()}/x`, '--connect-wait', '1s', '--quiet']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^error\[unreachable\]: /);
    expect(refused.stderr).not.toContain('waiting');
  });

  it('--connect-wait against a port where nothing listens prints the waiting line once', async () => {
    const port = await freePort();
    const r = await sqlmig(['status', '--dir', writeFiles(dir, {}), '--db', `postgres://postgres@127.0.0.1:${port}/x`, '--connect-wait', '1s']);
    expect(r.code).toBe(3);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(
      `sqlmig: waiting for the server, up to 1 s: cannot connect to postgres://postgres@127.0.0.1:${port}/x (host 127.0.0.1, port ${port}, database x): connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(lines[1]).toMatch(/^error\[unreachable\]: .*still unreachable after \d+ attempts/);
    expect(r.stderr.match(/waiting/g)).toHaveLength(1);
  });
});

