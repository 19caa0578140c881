// sqlmig on MariaDB, as a user runs it: commands on mysql:// and mariadb://, a kill between two DDL statements,
// SIGINT, the lock, the implicit-commit notice, bad URLs — then the database itself is checked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshMysql, mysqlConnection, mysqlUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig, type CliOptions } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const table = (n: string) => `CREATE TABLE ${n} (id INT);\n-- revert:\nDROP TABLE ${n};\n`;
const NOTICE = 'commits DDL implicitly: files holding DDL run statement by statement';

describe.skipIf(!mysqlUrl)('sqlmig on MariaDB (CLI)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshMysql(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const run = (args: string[], options: CliOptions = {}) =>
    sqlmig([...args, '--dir', dir, ...(args.includes('--db') ? [] : ['--db', db.url!])], options);
  const database = () => new URL(db.url!).pathname.slice(1);
  const history = async () => (await db.query<{ e: string }>(
    `SELECT CONCAT(name, ':', status, COALESCE(CONCAT('@', failed_statement), '')) AS e FROM sqlmig_migrations ORDER BY seq`)).map((r) => r.e);
  /** Whether another connection to the test database runs a statement holding `text`. */
  const running = (text: string) => async () => (await db.query(
    'SELECT 1 FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND info LIKE ?', [`%${text}%`])).length > 0;
  const othersConnected = async () => (await db.query(
    'SELECT 1 FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()')).length > 0;
  const lockFree = async () => (await db.query<{ free: number }>('SELECT IS_FREE_LOCK(?) AS free', [`sqlmig:${database()}:sqlmig`]))[0].free === 1;

  it('up, status, down, --to, --dry-run, --log-only, --single-transaction and resolve, on mysql:// and mariadb://', async () => {
    writeFiles(dir, { '1.sql': table('a'), '2.sql': `-- requires: 1\n${table('b')}`, '3.sql': table('c') });
    const dry = await run(['up', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`dry run: 3 migrations would be applied on mysql://root@127.0.0.1:3306/${database()}; nothing was changed`);
    expect(await db.tables()).toEqual([]);

    const to = await run(['up', '--to', '2']);
    expect(to.code).toBe(0);
    expect(to.stdout).toMatch(/^applied +1 \(\d+ ms\)\napplied +2 \(\d+ ms\)\n2 migrations applied to mysql:\/\/root@127\.0\.0\.1:3306\/sqlmig_test_\w+ in /);
    // Once per run, however many files hold DDL.
    expect(to.stderr.split(NOTICE)).toHaveLength(2);
    expect(await history()).toEqual(['1:applied', '2:applied']);

    const mariadb = db.url!.replace(/^mysql:/, 'mariadb:');
    const status = await run(['status', '--json', '--db', mariadb]);
    const json = JSON.parse(status.stdout);
    expect(json.database).toBe(`mariadb://root@127.0.0.1:3306/${database()}`);
    expect(json.migrations.map((m: { name: string; state: string }) => `${m.name}:${m.state}`)).toEqual(['1:applied', '2:applied', '3:pending']);
    expect((await run(['status', '--exit-code', '--db', mariadb])).code).toBe(6);
    expect((await run(['down', '--all', '--db', mariadb])).code).toBe(0);
    expect(await db.tables()).toEqual([]);

    // A file holding DDL cannot join the run's transaction: refused, nothing run. Files of DML can.
    const refused = await run(['up', '--single-transaction']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"1" holds DDL, which this engine commits implicitly: it cannot run inside --single-transaction');
    expect(await history()).toEqual([]);
    await db.query('CREATE TABLE a (id INT PRIMARY KEY)');
    const log = await run(['up', '--log-only', '--to', '1']);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('1 migration recorded as applied on mysql://');
    writeFiles(dir, { '2.sql': '-- requires: 1\nINSERT INTO a VALUES (1);\n-- revert:\nDELETE FROM a;\n', '3.sql': 'INSERT INTO a VALUES (1);\n-- revert:\n' });
    const single = await run(['up', '--single-transaction']);
    expect(single.code).toBe(1);
    expect(single.stderr).toContain(`${dir}/3.sql:1:1 error[sql-failed]: 3: Duplicate entry '1' for key 'PRIMARY'`);
    expect(single.stderr).toContain('SQLSTATE 23000, statement 1 of the deploy section');
    expect(single.stderr).toContain('detail: errno 1062 (ER_DUP_ENTRY)');
    expect(single.stderr).not.toContain(NOTICE);
    expect(await db.query('SELECT id FROM a')).toEqual([]);
    writeFiles(dir, { '3.sql': 'INSERT INTO a VALUES (3);\n-- revert:\n' });
    expect((await run(['up', '--single-transaction'])).code).toBe(0);
    expect(await db.query('SELECT id FROM a ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }]);

    // A file holding DDL that fails at its 2nd statement: exit 1, failed at 2, exit 5 until resolve.
    writeFiles(dir, { '4.sql': 'CREATE TABLE d (id INT);\nCREATE TABLE d (id INT);\n-- revert:\nDROP TABLE d;\n' });
    const half = await run(['up']);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain(`${dir}/4.sql:2:1 error[sql-failed]: 4: Table 'd' already exists`);
    expect(half.stderr).toContain('SQLSTATE 42S01, statement 2 of the deploy section');
    expect(half.stderr).toContain('detail: errno 1050 (ER_TABLE_EXISTS_ERROR)');
    expect(half.stderr).toContain('sqlmig: 4 stopped at statement 2 outside a transaction and is recorded as failed');
    const blocked = await run(['up']);
    expect(blocked.code).toBe(5);
    expect(blocked.stderr).toContain('"4" failed at statement 2 outside a transaction and may be half-applied');
    expect((await run(['resolve', '4', '--applied'])).code).toBe(0);
    expect(await history()).toEqual(['1:applied', '2:applied', '3:applied', '4:applied']);

    // A file holding DDL whose verify section fails: the DDL was committed, and the message says so.
    writeFiles(dir, { '5.sql': 'CREATE TABLE e (id INT);\n-- verify:\nSELECT nope FROM e;\n-- revert:\nDROP TABLE e;\n' });
    const verify = await run(['up']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`${dir}/5.sql:3:1 error[sql-failed]: 5 (verify section): Unknown column 'nope'`);
    expect(verify.stderr).toContain('sqlmig: 5 ran outside a transaction, then its verify section failed: it is recorded as failed');
    expect(verify.stderr).not.toContain('nothing ran');
    expect(await db.query(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'e'`))
      .toHaveLength(1);
    expect(await history()).toEqual(['1:applied', '2:applied', '3:applied', '4:applied', '5:failed@1']);
    expect((await run(['resolve', '5', '--applied'])).code).toBe(0);
    expect(await lockFree()).toBe(true);
  });

  it('kill -9 between two DDL statements of one file: status says failed at statement 2, up exits 5 naming it, resolve repairs', async () => {
    writeFiles(dir, {
      '1.sql': table('earlier'),
      // MariaDB treats CREATE … SELECT as DDL: the file runs statement by statement.
      '2.sql': 'CREATE TABLE first_done (id INT);\nCREATE TABLE slow AS SELECT SLEEP(2) AS kill_here;\nCREATE TABLE never_done (id INT);\n'
        + '-- revert:\nDROP TABLE never_done;\nDROP TABLE slow;\nDROP TABLE first_done;\n',
      '3.sql': table('after'),
    });
    const killed = await run(['up'], { onSpawn: (child) => void waitFor(running('kill_here'), 'statement 2 running').then(() => child.kill('SIGKILL')) });
    expect(killed.signal).toBe('SIGKILL');
    // The server finishes the statement it was running, then notices the client is gone.
    await waitFor(async () => !(await othersConnected()), 'the killed connection ending');
    expect(await db.tables()).toEqual(['earlier', 'first_done', 'slow']);
    expect(await history()).toEqual(['1:applied', '2:failed@2']);

    const status = await run(['status']);
    expect(status.stdout).toMatch(/failed +2 .* failed at statement 2: the deploy stopped during statement 2: the run ended before it finished/);
    const next = await run(['up']);
    expect(next.code).toBe(5);
    expect(next.stderr).toContain('"2" failed at statement 2 outside a transaction and may be half-applied');
    expect(await db.tables()).not.toContain('after');

    await db.query('CREATE TABLE never_done (id INT)');
    const resolved = await run(['resolve', '2', '--applied']);
    expect(resolved.code).toBe(0);
    expect((await run(['up'])).code).toBe(0);
    expect(await history()).toEqual(['1:applied', '2:applied', '3:applied']);
  });

  it('SIGINT during a long statement cancels it (KILL QUERY), rolls the file back, releases the lock, exits 130', async () => {
    writeFiles(dir, {
      '1.sql': table('earlier'),
      '2.sql': 'INSERT INTO earlier VALUES (1);\nSELECT SLEEP(600) AS interrupt_here;\n-- revert:\nDELETE FROM earlier;\n',
      '3.sql': 'INSERT INTO earlier VALUES (3);\n-- revert:\n',
    });
    // Were the statement not cancelled, the run would wait out its ten minutes, past the test's time limit.
    const r = await run(['up'], { onSpawn: (child) => void waitFor(running('interrupt_here'), 'the sleep running').then(() => child.kill('SIGINT')) });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('error[interrupted]: interrupted by SIGINT');
    expect(await history()).toEqual(['1:applied']);
    expect(await db.query('SELECT id FROM earlier')).toEqual([]);
    expect(await running('interrupt_here')()).toBe(false);
    expect(await lockFree()).toBe(true);
  });

  it('a lock held by another connection: exit 4 within --lock-wait naming it; another --schema is not blocked', async () => {
    writeFiles(dir, { '1.sql': table('locked_out') });
    const holder = await mysqlConnection(database());
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [`sqlmig:${database()}:sqlmig`]);
      const r = await run(['up', '--lock-wait', '1s']);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/could not take the migration lock of schema "sqlmig" within 1s: held by connection \d+, user root@[\w.]+, idle for \d+ s/);
      expect(await db.tables()).toEqual([]);
      expect((await run(['up', '--lock-wait', '1s', '--schema', 'other'])).code).toBe(0);
    } finally {
      await holder.end();
    }
  });

  it('writes the history in UTC: status shows the time it ran whatever the time zone', async () => {
    writeFiles(dir, { '1.sql': table('a') });
    const env = { TZ: 'Pacific/Kiritimati' };
    expect((await run(['up'], { env })).code).toBe(0);
    const [m] = JSON.parse((await run(['status', '--json'], { env })).stdout).migrations;
    expect(Math.abs(Date.parse(m.appliedAt) - Date.now())).toBeLessThan(3_600_000);
  });

  it('bad targets: no database named or URL parameters (exit 2), unknown host, wrong password, missing database (exit 3)', async () => {
    writeFiles(dir, { '1.sql': table('a') });
    const password = 'Pa#%/@:?s';
    const encoded = encodeURIComponent(password);
    const [noName, params, host, wrong, missing] = await Promise.all([
      run(['up', '--db', 'mysql://root@127.0.0.1:3306']),
      run(['up', '--db', `mysql://root:${encoded}@127.0.0.1:3306/x?ssl=true`]),
      run(['up', '--db', 'mysql://root@no-such-host.invalid:3306/x']),
      run(['up', '--db', `mysql://root:${encoded}@127.0.0.1:3306/${database()}`]),
      run(['status', '--db', 'mariadb://root@127.0.0.1:3306/sqlmig_no_such_database']),
    ]);
    expect([noName.code, params.code, host.code, wrong.code, missing.code]).toEqual([2, 2, 3, 3, 3]);
    expect(noName.stderr).toContain('error[usage]: the URL mysql://root@127.0.0.1:3306 names no database');
    expect(params.stderr).toContain('has parameters (ssl), which sqlmig does not read for MySQL');
    expect(host.stderr).toContain('error[unreachable]: cannot connect to mysql://root@no-such-host.invalid:3306/x');
    expect(wrong.stderr).toContain("Access denied for user 'root'");
    expect(wrong.stderr).toContain('hint: check the user and password in the URL');
    expect(missing.stderr).toContain("cannot connect to mariadb://root@127.0.0.1:3306/sqlmig_no_such_database: Unknown database 'sqlmig_no_such_database'");
    expect(missing.stderr).toContain('hint: create the database first (CREATE DATABASE `sqlmig_no_such_database`)');
    for (const o of [params, wrong]) {
      expect(o.stdout + o.stderr).not.toContain(password);
      expect(o.stdout + o.stderr).not.toContain(encoded);
    }
    expect(await db.tables()).toEqual([]);
  });

  it('--targets over several databases: the implicit-commit notice is printed once, not once per target', async () => {
    writeFiles(dir, { '1.sql': table('a'), '2.sql': `-- requires: 1\n${table('b')}` });
    const other = await freshMysql();
    try {
      const file = join(tempDir(), 'targets.json');
      writeFileSync(file, JSON.stringify({ targets: [{ name: 'one', db: db.url }, { name: 'two', db: other.url }] }));
      const r = await sqlmig(['up', '--dir', dir, '--targets', file]);
      expect(r.code).toBe(0);
      expect(r.stderr.split(NOTICE)).toHaveLength(2);
      expect(await db.tables()).toEqual(expect.arrayContaining(['a', 'b']));
      expect(await other.tables()).toEqual(expect.arrayContaining(['a', 'b']));
    } finally {
      await other.close();
    }
  });

  it('verify: on temporary databases with --db, a usage error without one', async () => {
    writeFiles(dir, { '1.sql': table('a'), '2.sql': "-- requires: 1\nINSERT INTO a VALUES (1);\n-- revert:\nDELETE FROM a;\n" });
    const ok = await sqlmig(['verify', '--dir', dir, '--db', db.url!]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`sqlmig verify on temporary databases on mysql://root@127.0.0.1:3306/${database()}: 2 of 2 migrations round-trip`);
    const none = await sqlmig(['verify', '--dir', dir, '--dialect', 'mysql']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error[usage]: verify on a MySQL or MariaDB project needs a server: there is no embedded MySQL');
  });
});
