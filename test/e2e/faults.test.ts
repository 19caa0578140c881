// Faults: processes killed, backends terminated, timeouts, locks, concurrency — then the database itself is checked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockKey } from '../../src/drivers/pg-sql.js';
import { asAdmin, freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig, type CliOptions } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;
const SLOW = 'CREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n-- revert:\nDROP TABLE slow;\n';

describe.skipIf(!postgresUrl)('faults', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const run = (args: string[], options: CliOptions = {}) => sqlmig([...args, '--dir', dir, '--db', db.url!], options);
  const exists = async (rel: string) => (await db.query('SELECT 1 FROM pg_class WHERE relname = $1', [rel])).length > 0;
  const historyNames = async () => (await db.query<{ name: string; status: string }>('SELECT name, status FROM sqlmig.migrations ORDER BY seq'))
    .map((r) => `${r.name}:${r.status}`);
  const sleeping = async () => (await db.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'sqlmig' AND query LIKE '%pg_sleep(60)%' AND state = 'active'`)).length > 0;
  const sqlmigSessions = async () => (await db.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'sqlmig' AND datname = current_database()`)).length;

  it('kill -9 during a migration: no history row, no partial object; the next up completes', async () => {
    writeFiles(dir, { '1.sql': table('before'), '2.sql': SLOW });
    const killed = await run(['up'], { onSpawn: (child) => void waitFor(sleeping).then(() => child.kill('SIGKILL')) });
    expect(killed.signal).toBe('SIGKILL');
    // The server notices the vanished client (client_connection_check_interval) and rolls back.
    await waitFor(async () => (await sqlmigSessions()) === 0, 'the killed session ending');
    expect(await exists('slow')).toBe(false);
    expect(await historyNames()).toEqual(['1:applied']);
    writeFileSync(join(dir, '2.sql'), table('slow'));
    const rerun = await run(['up']);
    expect(rerun.code).toBe(0);
    expect(await historyNames()).toEqual(['1:applied', '2:applied']);
  });

  it('kill -9 inside a transaction: off file: the history says which statement was running; later runs exit 5', async () => {
    writeFiles(dir, {
      '1.sql': '-- transaction: off\nCREATE TABLE first_done (id int);\nSELECT pg_sleep(60);\nCREATE TABLE never_done (id int);\n-- revert:\nDROP TABLE first_done;\n',
      '2.sql': table('after'),
    });
    const killed = await run(['up'], { onSpawn: (child) => void waitFor(sleeping).then(() => child.kill('SIGKILL')) });
    expect(killed.signal).toBe('SIGKILL');
    await waitFor(async () => (await sqlmigSessions()) === 0, 'the killed session ending');
    expect(await exists('first_done')).toBe(true);
    expect(await db.query('SELECT status, failed_statement FROM sqlmig.migrations')).toEqual([{ status: 'failed', failed_statement: 2 }]);
    const next = await run(['up']);
    expect(next.code).toBe(5);
    expect(next.stderr).toContain('"1" failed at statement 2 outside a transaction');
    expect(await exists('after')).toBe(false);
  });

  it('backend terminated mid-migration: a clear error, nothing applied; a rerun completes', async () => {
    writeFiles(dir, { '1.sql': SLOW });
    const r = await run(['up'], {
      onSpawn: () => void waitFor(sleeping).then(() =>
        db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sqlmig' AND query LIKE '%pg_sleep(60)%'`)),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('terminating connection due to administrator command');
    expect(r.stderr).toContain(`${dir}/1.sql:2:1`);
    expect(await exists('slow')).toBe(false);
    writeFileSync(join(dir, '1.sql'), table('slow'));
    expect((await run(['up'])).code).toBe(0);
    expect(await exists('slow')).toBe(true);
  });

  it('SIGTERM during a migration: rolled back, lock released, exit 143', async () => {
    writeFiles(dir, { '1.sql': SLOW });
    const r = await run(['up'], { onSpawn: (child) => void waitFor(sleeping).then(() => child.kill('SIGTERM')) });
    expect(r.code).toBe(143);
    expect(await exists('slow')).toBe(false);
    expect(await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).toEqual([]);
  });

  it('the lock held by another session: exit 4 after --lock-wait, naming the holder', async () => {
    writeFiles(dir, { '1.sql': table('locked_out') });
    const { default: pg } = await import('pg');
    const holder = new pg.Client({ connectionString: db.url, application_name: 'deploy-bot' });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [lockKey('sqlmig').toString()]);
    const r = await run(['up', '--lock-wait', '1s']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/could not take the migration lock of schema "sqlmig" within 1s: held by pid \d+, application_name "deploy-bot"/);
    expect(await exists('locked_out')).toBe(false);
    // Another history schema, and another database of the same cluster, are not blocked.
    expect((await run(['up', '--lock-wait', '1s', '--schema', 'other_history'])).code).toBe(0);
    const second = await freshPostgres();
    expect((await sqlmig(['up', '--dir', dir, '--db', second.url!, '--lock-wait', '1s'])).code).toBe(0);
    await second.close();
    await holder.end();
  });

  it('statement_timeout exceeded: exit 1, rolled back, the message says which timeout and where', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t1 (id int);\nSELECT pg_sleep(5);\n' });
    const r = await run(['up', '--statement-timeout', '300ms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}/1.sql:2:1 error[sql-failed]: 1: canceling statement due to statement timeout`);
    expect(r.stderr).toContain('--statement-timeout');
    expect(await exists('t1')).toBe(false);
  });

  it('lock_timeout exceeded behind a long transaction: exit 1, rolled back, the hint names --lock-timeout', async () => {
    await db.query('CREATE TABLE busy (id int)');
    const { default: pg } = await import('pg');
    const blocker = new pg.Client(db.url);
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE busy IN ACCESS SHARE MODE');
    writeFiles(dir, { '1.sql': 'CREATE TABLE t2 (id int);\nALTER TABLE busy ADD COLUMN note text;\n' });
    const r = await run(['up', '--lock-timeout', '300ms']);
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}/1.sql:2:1 error[sql-failed]: 1: canceling statement due to lock timeout`);
    expect(r.stderr).toContain('--lock-timeout');
    expect(await exists('t2')).toBe(false);
  });

  it('a revert failing in the middle of down --to: earlier reverts stay done, the rest untouched, status consistent', async () => {
    writeFiles(dir, {
      'a.sql': table('a'), 'b.sql': table('b'),
      'c.sql': 'CREATE TABLE c (id int);\n-- revert:\nDROP TABLE c;\nDROP TABLE not_there;\n', 'd.sql': table('d'),
    });
    expect((await run(['up'])).code).toBe(0);
    const r = await run(['down', '--to', 'a']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reverted d/);
    expect(r.stderr).toContain(`${dir}/c.sql:4:1 error[sql-failed]: c (revert section): table "not_there" does not exist`);
    expect(await exists('d')).toBe(false);
    expect(await exists('c')).toBe(true);
    expect(await historyNames()).toEqual(['a:applied', 'b:applied', 'c:applied']);
    const status = JSON.parse((await run(['status', '--json'])).stdout).migrations.map((m: { name: string; state: string }) => `${m.name}:${m.state}`);
    expect(status).toEqual(['a:applied', 'b:applied', 'c:applied', 'd:pending']);
  });

  it('a transaction: off file failing at its 2nd statement: recorded as failed, later runs exit 5 until resolve', async () => {
    writeFiles(dir, {
      '1.sql': '-- transaction: off\nCREATE TABLE first_half (id int);\nCREATE INDEX CONCURRENTLY nope ON missing_table (id);\n-- revert:\nDROP TABLE first_half;\n',
      '2.sql': table('after'),
    });
    const first = await run(['up']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('stopped at statement 2 outside a transaction and is recorded as failed');
    expect(await historyNames()).toEqual(['1:failed']);
    const blocked = await run(['up']);
    expect(blocked.code).toBe(5);
    expect(blocked.stderr).toContain('error[failed-migration]: "1" failed at statement 2 outside a transaction');
    expect((await run(['status'])).stdout).toMatch(/^failed +1 .*failed at statement 2/m);
    await db.query('DROP TABLE first_half');
    expect((await run(['resolve', '1', '--reverted'])).code).toBe(0);
    writeFileSync(join(dir, '1.sql'), '-- transaction: off\nCREATE TABLE first_half (id int);\n-- revert:\nDROP TABLE first_half;\n');
    expect((await run(['up'])).code).toBe(0);
    expect(await historyNames()).toEqual(['1:applied', '2:applied']);
    expect((await db.query(`SELECT action FROM sqlmig.events WHERE name = '1' ORDER BY id`)).map((e) => e.action))
      .toEqual(['fail', 'resolve', 'deploy']);
  });

  it('a transaction: off file whose verify section fails: its deploy ran, and the message says so', async () => {
    writeFiles(dir, {
      '1.sql': '-- transaction: off\nCREATE TABLE v1 (id int);\nCREATE TABLE v2 (id int);\n-- verify:\nSELECT nope FROM v1;\n'
        + '-- revert:\nDROP TABLE v2;\nDROP TABLE v1;\n',
    });
    const r = await run(['up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}/1.sql:5:8 error[sql-failed]: 1 (verify section): column "nope" does not exist`);
    expect(r.stderr).toContain('sqlmig: 1 ran outside a transaction, then its verify section failed: it is recorded as failed; '
      + 'check what it did, then run sqlmig resolve 1 --applied or --reverted');
    expect(r.stderr).not.toContain('nothing ran');
    expect([await exists('v1'), await exists('v2')]).toEqual([true, true]);
    expect(await historyNames()).toEqual(['1:failed']);
    expect((await run(['up'])).code).toBe(5);
  });

  it('10 concurrent up on an empty database: all exit 0, each file once, no duplicate-object errors', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`m${String(i).padStart(2, '0')}.sql`] = table(`c${i}`);
    writeFiles(dir, files);
    const results = await Promise.all(Array.from({ length: 10 }, () => run(['up', '--json'])));
    expect(results.map((r) => [r.code, r.stderr])).toEqual(Array(10).fill([0, '']));
    const applied = results.flatMap((r) => JSON.parse(r.stdout).steps.map((s: { name: string }) => s.name));
    expect(applied.length).toBe(20);
    expect(new Set(applied).size).toBe(20);
    expect((await db.query('SELECT count(*)::int AS n FROM sqlmig.events')).at(0)).toEqual({ n: 20 });
  });
});

describe.skipIf(!postgresUrl)('faults without a test database', () => {
  it('connection refused and a missing database give exit 3', async () => {
    const dir = writeFiles(tempDir(), { '1.sql': table('x') });
    expect((await sqlmig(['up', '--dir', dir, '--db', 'postgres://postgres@127.0.0.1:1/db'])).code).toBe(3);
    const url = new URL(postgresUrl!);
    url.pathname = '/sqlmig_no_such_database';
    expect((await sqlmig(['status', '--dir', dir, '--db', url.toString()])).code).toBe(3);
    expect(await asAdmin(`SELECT 1 FROM pg_database WHERE datname = 'sqlmig_no_such_database'`)).toEqual([]);
  });
});
