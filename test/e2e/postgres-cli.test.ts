// The CLI against the real PostgreSQL: exit codes, output, and the database's own state afterwards.
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asAdmin, freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../helpers/net.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;

describe.skipIf(!postgresUrl)('sqlmig on PostgreSQL (CLI)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const run = (...args: string[]) => sqlmig([...args, '--dir', dir, '--db', db.url!]);

  it('applies, reports, reruns as a no-op, and reverts', async () => {
    writeFiles(dir, { 'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}` });
    const up = await run('up');
    expect(up).toMatchObject({ code: 0, stderr: '' });
    expect(up.stdout).toMatch(/^applied +a \(\d+ ms\)\napplied +b \(\d+ ms\)\n2 migrations applied to postgres:\/\/postgres@127\.0\.0\.1:5432\/sqlmig_test_\w+ in /);
    expect((await run('up')).stdout).toBe('nothing to do: every migration is applied\n');
    const status = await run('status', '--json');
    expect(JSON.parse(status.stdout).migrations.map((m: { name: string; state: string }) => `${m.name}:${m.state}`)).toEqual(['a:applied', 'b:applied']);
    expect((await run('down', '--all')).code).toBe(0);
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname IN ('a', 'b')`)).toEqual([]);
  });

  it("prints the server's notices on stderr, named after the migration, unless --quiet", async () => {
    writeFiles(dir, { 'n.sql': "DO $$ BEGIN RAISE NOTICE 'hello from n' USING HINT = 'a hint'; END $$;\n-- revert:\nSELECT 1;\n" });
    const loud = await run('up');
    expect(loud.code).toBe(0);
    expect(loud.stderr).toBe('n: NOTICE: hello from n\n  HINT: a hint\n');
    expect((await run('down')).code).toBe(0);
    const quiet = await run('up', '--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('adopts a database with up --log-only: records, runs nothing, says so', async () => {
    writeFiles(dir, { 'a.sql': 'CREATE TABLE a (id int);\n', 'b.sql': '-- requires: a\nCREATE TABLE b (id int);\n' });
    const dry = await run('up', '--log-only', '--dry-run');
    expect(dry.stdout).toMatch(/^would record a \(not run\)\nwould record b \(not run\)\ndry run: 2 migrations would be recorded as applied on \S+; nothing was changed\n$/);
    expect(await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'sqlmig'`)).toEqual([]);
    const r = await run('up', '--log-only');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^recorded a \(not run\)\nrecorded b \(not run\)\n2 migrations recorded as applied on postgres:\/\/\S+, none run \(--log-only\)\n$/);
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname IN ('a', 'b')`)).toEqual([]);
    const json = JSON.parse((await run('status', '--json')).stdout);
    expect(json.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'applied']);
    expect((await run('up', '--log-only', '--single-transaction')).code).toBe(2);
  });

  it('exits 6 from status --exit-code when migrations are pending, 0 when none are', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    expect((await run('status', '--exit-code')).code).toBe(6);
    await run('up');
    expect((await run('status', '--exit-code')).code).toBe(0);
  });

  it('refuses resolve --reverted on an applied (not failed) migration unless --force (exit 2, history kept)', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    expect((await run('up')).code).toBe(0);
    const refused = await run('resolve', 'a', '--reverted');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error[usage]: "a" is applied, not failed: forgetting it would leave its objects in the database');
    expect(refused.stderr).toContain('hint: to revert it: sqlmig down --only a; if its objects were really removed by hand: sqlmig resolve a --reverted --force');
    expect(await db.query('SELECT name, status FROM sqlmig.migrations')).toEqual([{ name: 'a', status: 'applied' }]);
    expect((await run('up')).stdout).toBe('nothing to do: every migration is applied\n');
    expect(await run('resolve', 'a', '--applied', '--force')).toMatchObject({ code: 2, stderr: expect.stringContaining('--force goes only with --reverted') });
    await db.query('DROP TABLE a');
    const forced = await run('resolve', 'a', '--reverted', '--force');
    expect(forced).toMatchObject({ code: 0, stdout: 'a recorded as reverted\n' });
    expect(await db.query(`SELECT error FROM sqlmig.events WHERE action = 'resolve'`)).toEqual([{ error: 'marked reverted (forced: it was applied)' }]);
    expect((await run('up')).code).toBe(0);
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'a'`)).toHaveLength(1);
  });

  it('prints a failing statement at its file line with a code frame, SQLSTATE and exit 1', async () => {
    writeFiles(dir, { 'ok.sql': table('ok'), 'bad.sql': '-- requires: ok\n-- 😀 a line with emoji 😀\nCREATE TABLE bad (id int);\nSELECT nosuch FROM bad;\n' });
    const r = await run('up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}/bad.sql:4:8 error[sql-failed]: bad: column "nosuch" does not exist`);
    expect(r.stderr).toContain('  > 4 | SELECT nosuch FROM bad;\n');
    expect(r.stderr).toMatch(/\n +\| +\^\n/);
    expect(r.stderr).toContain('SQLSTATE 42703');
    expect(r.stderr).toContain('sqlmig: bad was not applied: its transaction was rolled back');
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'bad'`)).toEqual([]);
  });

  it('stops on drift with exit 5', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    await run('up');
    writeFileSync(join(dir, 'a.sql'), table('a_renamed'));
    const r = await run('up');
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/error\[drift\]: "a" was edited after it was applied \(applied [0-9a-f]{12}, file now [0-9a-f]{12}\)/);
  });

  it('applies each of 30 files exactly once when 8 processes run up at the same time', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`${String(i).padStart(2, '0')}.sql`] = table(`par_${i}`);
    writeFiles(dir, files);
    const results = await Promise.all(Array.from({ length: 8 }, () => run('up', '--json')));
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    const applied = results.flatMap((r) => JSON.parse(r.stdout).steps.map((s: { name: string }) => s.name));
    expect(applied.sort()).toEqual(Object.keys(files).map((f) => f.replace('.sql', '')).sort());
    const [{ rows, deploys }] = await db.query<{ rows: string; deploys: string }>(
      `SELECT (SELECT count(*) FROM sqlmig.migrations) AS rows, (SELECT count(*) FROM sqlmig.events WHERE action = 'deploy') AS deploys`);
    expect([Number(rows), Number(deploys)]).toEqual([30, 30]);
  });

  it('never prints a password with special characters (success, failure, --json, bad URL, refused connection)', async () => {
    const password = 'Pa#%/@:?s';
    const encoded = encodeURIComponent(password);
    const base = new URL(db.url!);
    const withPassword = `postgres://postgres:${encoded}@${base.host}${base.pathname}`;
    writeFiles(dir, { 'a.sql': table('a'), 'b.sql': 'SELECT nosuch;\n' });
    const outputs = await Promise.all([
      sqlmig(['up', '--dir', dir, '--db', withPassword]),
      sqlmig(['up', '--dir', dir, '--db', withPassword, '--json']),
      sqlmig(['status', '--dir', dir, '--db', withPassword]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://postgres:${encoded}@127.0.0.1:1/x`]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://postgres:${encoded}@127.0.0.1:1/x`, '--json']),
      sqlmig(['up', '--dir', dir, '--db', `postgres://postgres:${password}@127.0.0.1:5432/x`]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://postgres:${encoded}@[::1/x`]),
      sqlmig(['up', '--dir', dir], { env: { DATABASE_URL: `postgres://postgres:${encoded}@127.0.0.1:1/x` } }),
    ]);
    expect(outputs.map((o) => o.code)).toEqual([1, 1, 0, 3, 3, expect.any(Number), expect.any(Number), 3]);
    for (const o of outputs) {
      const text = o.stdout + o.stderr;
      expect(text).not.toContain(password);
      expect(text).not.toContain(encoded);
      expect(text).not.toContain('Pa#');
    }
    expect(outputs[3].stderr).toContain('cannot connect to postgres://postgres@127.0.0.1:1/x (host 127.0.0.1, port 1, database x)');
  });

  it('fails to connect with exit 3 naming host, port and database', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    const refused = await sqlmig(['up', '--dir', dir, '--db', 'postgres://postgres@127.0.0.1:1/nowhere']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('host 127.0.0.1, port 1, database nowhere');
    const url = new URL(db.url!);
    url.pathname = '/no_such_database_here';
    const missing = await sqlmig(['up', '--dir', dir, '--db', url.toString()]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('database "no_such_database_here" does not exist');
  });

  it('names a role that does not exist or may not log in, with a hint to create or fix it, not pg_hba.conf (exit 3)', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    const missing = await sqlmig(['up', '--dir', dir, '--db', 'postgres://nosuchrole@127.0.0.1:5432/postgres']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('(host 127.0.0.1, port 5432, database postgres): role "nosuchrole" does not exist\n');
    expect(missing.stderr).toContain('hint: create the role (CREATE ROLE "nosuchrole" LOGIN), or connect as another user (the user in the URL, or PGUSER)\n');
    const role = `sqlmig_nologin_${process.pid}`;
    await asAdmin(`CREATE ROLE ${role} NOLOGIN`);
    try {
      const refused = await sqlmig(['up', '--dir', dir, '--db', `postgres://${role}@127.0.0.1:5432/postgres`]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`hint: let the role log in (ALTER ROLE "${role}" LOGIN), or connect as another user`);
      for (const r of [missing, refused]) expect(r.stderr).not.toContain('pg_hba');
    } finally {
      await asAdmin(`DROP ROLE ${role}`);
    }
  });

  it('keeps trying for --connect-wait while nothing listens, and connects once the server is there', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    // A port that refuses at first; after a moment a proxy to the real server listens on it.
    const port = await freePort();
    const target = new URL(db.url!);
    const url = new URL(db.url!);
    url.port = String(port);
    const proxy = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      client.pipe(server).pipe(client);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    const late = setTimeout(() => proxy.listen(port, '127.0.0.1'), 1200);
    try {
      const r = await sqlmig(['up', '--dir', dir, '--db', url.toString(), '--connect-wait', '30s']);
      // Piped: one line when the wait starts, one when it ends.
      expect(r.stderr).toMatch(/^sqlmig: waiting for the server, up to 30 s: cannot connect to .*ECONNREFUSED.*\nsqlmig: connected after [\d.]+ m?s\n$/);
      expect(r.code).toBe(0);
      expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'a'`)).toHaveLength(1);
    } finally {
      clearTimeout(late);
      await new Promise((done) => proxy.close(done));
    }
    const refused = await sqlmig(['status', '--dir', dir, '--db', `postgres://postgres@127.0.0.1:${await freePort()}/x`, '--connect-wait', '1s']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/error\[unreachable\]: .*ECONNREFUSED.*\(still unreachable after \d+ attempts in 1s\)/);
    const interrupted = await sqlmig(['status', '--dir', dir, '--db', `postgres://postgres@127.0.0.1:${await freePort()}/x`, '--connect-wait', '10m'], {
      onSpawn: (child) => void setTimeout(() => child.kill('SIGINT'), 1000),
    });
    expect(interrupted.code).toBe(130);
  });

  it('does not wait for a server that answers no: a missing database fails at once, --connect-wait or not', async () => {
    const url = new URL(db.url!);
    url.pathname = '/no_such_database_here';
    // Were it retried, this would run into the test's own time limit.
    const r = await sqlmig(['status', '--dir', dir, '--db', url.toString(), '--connect-wait', '10m']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error[connection]: ');
    expect(r.stderr).not.toContain('still unreachable');
  });

  it('reports invalid input with exit 2 before connecting', async () => {
    writeFiles(dir, { 'a.sql': '-- requires: nothing_here\nSELECT 1;\n' });
    const r = await sqlmig(['up', '--dir', dir, '--db', 'postgres://postgres@203.0.113.1:5432/unreachable']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.sql:1:14 error[unknown-require]');
  });

  it('rolls back, releases the lock and exits 130 on SIGINT during a migration', async () => {
    writeFiles(dir, { 'slow.sql': 'CREATE TABLE slow (id int);\nSELECT pg_sleep(30);\n-- revert:\nDROP TABLE slow;\n' });
    const r = await sqlmig(['up', '--dir', dir, '--db', db.url!], {
      onSpawn: (child) => void waitFor(async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'sqlmig' AND query LIKE '%pg_sleep(30)%' AND state = 'active'`)).length > 0)
        .then(() => child.kill('SIGINT')),
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted by SIGINT');
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'slow'`)).toEqual([]);
    expect(await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).toEqual([]);
    expect(await db.query('SELECT * FROM sqlmig.migrations')).toEqual([]);
  });
});

