// Many databases in one run, on a real PostgreSQL server: databases, tenant schemas, failures, canaries, signals, overlaps.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { asAdmin, postgresUrl } from '../helpers/databases.js';
import { sqlmig, type CliOptions } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const table = (n: string, extra = '') => `CREATE TABLE ${n} (id int);${extra}\n-- revert:\nDROP TABLE ${n};\n`;
/** Three small migrations; the third writes a row, so its step also resets the session. */
const FILES = { '001_a.sql': table('a'), '002_b.sql': table('b'), '003_c.sql': table('c', '\nINSERT INTO c VALUES (1);') };
const PASSWORD = 'Fleet-canary-pw-7f3';

const made: string[] = [];
let counter = 0;

/** `n` new databases on the test server, dropped when the file ends; queried with a connection per query. */
async function createDatabases(n: number): Promise<string[]> {
  const names = Array.from({ length: n }, () => `sqlmig_fleet_${process.pid}_${counter++}`);
  for (const name of names) await asAdmin(`CREATE DATABASE ${name}`);
  made.push(...names);
  return names;
}

/** A URL of the test server's database `name`, with a password the server (trust) never asks for. */
function urlOf(name: string, password = false): string {
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  if (password) url.password = PASSWORD;
  return url.toString();
}

const q = <T = Record<string, unknown>>(database: string, sql: string) => asAdmin<T>(sql, [], database);
const history = async (database: string, schema = 'sqlmig') =>
  (await q<{ name: string }>(database, `SELECT name FROM "${schema}".migrations ORDER BY seq`)).map((r) => r.name);
const schemas = async (database: string) =>
  (await q<{ nspname: string }>(database, `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1`))
    .map((r) => r.nspname);
const tables = async (database: string, schema = 'public') =>
  (await q<{ t: string }>(database, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY 1`)).map((r) => r.t);

describe.skipIf(!postgresUrl)('many databases in one run', () => {
  let dir: string;
  let work: string;
  beforeEach(() => {
    dir = writeFiles(tempDir(), FILES);
    work = tempDir();
  });
  afterAll(async () => {
    for (const name of made) await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  /** Writes a targets file and runs `sqlmig ARGS --targets FILE --dir DIR`. */
  const runOn = (targets: object[], args: string[], options: CliOptions = {}) => {
    const file = join(work, `targets-${counter++}.json`);
    writeFileSync(file, JSON.stringify({ targets }, null, 2));
    return sqlmig([...args, '--dir', dir, '--targets', file], options);
  };

  it('20 databases and 50 tenant schemas of one database: each gets every migration; a rerun is a no-op everywhere', async () => {
    const [tenantDb, ...dbs] = await createDatabases(21);
    const targets = [
      ...dbs.map((db, i) => ({ name: `db-${i + 1}`, db: urlOf(db) })),
      ...Array.from({ length: 50 }, (_, i) => ({ name: `tenant_${i + 1}`, db: urlOf(tenantDb), searchPath: `tenant_${i + 1}` })),
    ];
    const first = await runOn(targets, ['up', '--parallel', '8']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines.filter((l) => /^(db-\d+|tenant_\d+): 3 applied \(/.test(l))).toHaveLength(70);
    expect(lines.at(-1)).toMatch(/^70 targets in .+: 70 succeeded$/);

    for (const db of dbs) {
      expect(await history(db)).toEqual(['001_a', '002_b', '003_c']);
      expect(await tables(db)).toEqual(['a', 'b', 'c']);
    }
    // Unqualified names landed in each tenant's schema, its history beside it; nothing in public.
    const perSchema = await q<{ s: string; n: number }>(tenantDb,
      `SELECT table_schema AS s, count(*)::int AS n FROM information_schema.tables WHERE table_schema LIKE 'tenant\\_%' GROUP BY 1`);
    expect(perSchema).toHaveLength(50);
    expect(perSchema.every((r) => r.n === 3)).toBe(true);
    expect(await tables(tenantDb)).toEqual([]);
    const tenantHistories = Array.from({ length: 50 }, (_, i) => `SELECT count(*)::int AS n FROM sqlmig_tenant_${i + 1}.migrations`).join(' UNION ALL ');
    expect((await q<{ n: number }>(tenantDb, tenantHistories)).map((r) => r.n)).toEqual(Array(50).fill(3));
    expect(await q(tenantDb, 'SELECT id FROM tenant_7.c')).toEqual([{ id: 1 }]);

    const events = async () => {
      const counts = [];
      for (const db of dbs) counts.push(...await q(db, 'SELECT count(*)::int AS n FROM sqlmig.events'));
      counts.push(...await q(tenantDb, tenantHistories.replaceAll('.migrations', '.events')));
      return counts;
    };
    const before = await events();
    const again = await runOn(targets, ['up', '--parallel', '8']);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n').filter((l) => l.includes(': nothing to do ('))).toHaveLength(70);
    expect(await events()).toEqual(before);

    const status = await runOn(targets, ['status', '--exit-code']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('tenant_50: 3 applied');
  });

  it('one target\'s third migration fails: the others complete, and it keeps its first two and nothing of the third', async () => {
    const dbs = await createDatabases(4);
    // This database already has a table c, so 003_c fails there.
    await q(dbs[2], 'CREATE TABLE c (existing text)');
    const targets = dbs.map((db, i) => ({ name: `shard-${i + 1}`, db: urlOf(db) }));
    const r = await runOn(targets, ['up']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^shard-3: ${dir}/003_c\\.sql:1:1 error\\[sql-failed\\]: 003_c: relation "c" already exists`, 'm'));
    expect(r.stdout).toMatch(/^4 targets in .+: 3 succeeded, 1 failed \(exit 1: 1\)$/m);
    for (const i of [0, 1, 3]) expect(await history(dbs[i])).toEqual(['001_a', '002_b', '003_c']);
    expect(await history(dbs[2])).toEqual(['001_a', '002_b']);
    expect(await q(dbs[2], `SELECT column_name FROM information_schema.columns WHERE table_name = 'c'`)).toEqual([{ column_name: 'existing' }]);
    expect(await q(dbs[2], 'SELECT count(*)::int AS n FROM c')).toEqual([{ n: 0 }]);
  });

  it('an unreachable target: exit 3, every other target applied, and no password printed, --json too', async () => {
    const dbs = await createDatabases(3);
    const targets = [
      { name: 'one', db: urlOf(dbs[0], true) },
      { name: 'gone', db: `postgres://postgres:${PASSWORD}@127.0.0.1:1/nowhere` },
      { name: 'two', db: urlOf(dbs[1], true) },
      { name: 'three', db: urlOf(dbs[2], true) },
    ];
    const r = await runOn(targets, ['up']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^gone: error\[unreachable\]: cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/m);
    expect(r.stdout).toMatch(/3 succeeded, 1 failed \(exit 3: 1\)$/m);
    for (const db of dbs) expect(await history(db)).toEqual(['001_a', '002_b', '003_c']);

    const json = await runOn(targets, ['up', '--json']);
    expect(json.code).toBe(3);
    const out = JSON.parse(json.stdout);
    expect(out.targets.map((t: { name: string }) => t.name)).toEqual(['one', 'gone', 'two', 'three']);
    expect(out.targets[0]).toMatchObject({ name: 'one', database: expect.stringContaining(':***@'), result: { command: 'up', steps: [] } });
    expect(out.targets[1]).toMatchObject({ name: 'gone', error: { code: 'unreachable', exitCode: 3 } });
    for (const text of [r.stdout, r.stderr, json.stdout, json.stderr]) expect(text).not.toContain(PASSWORD);
  });

  it('--canary 2: a failing canary means no other target is touched', async () => {
    const dbs = await createDatabases(5);
    await q(dbs[1], 'CREATE TABLE c (existing text)');
    const r = await runOn(dbs.map((db, i) => ({ name: `t${i + 1}`, db: urlOf(db) })), ['up', '--canary', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^5 targets in .+: 1 succeeded, 1 failed \(exit 1: 1\), 3 not run$/m);
    expect(r.stdout).toContain('targets not run: canary "t2" failed: with --canary 2, no other target starts');
    expect(await history(dbs[0])).toEqual(['001_a', '002_b', '003_c']);
    for (const db of dbs.slice(2)) expect(await schemas(db)).toEqual(['public']);

    // The canaries succeed once the cause is gone: then every target runs.
    await q(dbs[1], 'DROP TABLE c');
    const again = await runOn(dbs.map((db, i) => ({ name: `t${i + 1}`, db: urlOf(db) })), ['up', '--canary', '2']);
    expect(again.code).toBe(0);
    for (const db of dbs) expect(await history(db)).toEqual(['001_a', '002_b', '003_c']);
  });

  it('--fail-fast: no target starts after one fails', async () => {
    const dbs = await createDatabases(4);
    await q(dbs[1], 'CREATE TABLE b (existing text)');
    const targets = dbs.map((db, i) => ({ name: `t${i + 1}`, db: urlOf(db) }));
    const r = await runOn(targets, ['up', '--fail-fast', '--parallel', '1', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout).targets;
    expect(out[0].result.steps).toHaveLength(3);
    expect(out[1].error).toMatchObject({ code: 'sql-failed', exitCode: 1, position: { path: `${dir}/002_b.sql`, line: 1 } });
    expect(out.slice(2).map((t: { error: { code: string; message: string } }) => t.error.code)).toEqual(['not-run', 'not-run']);
    expect(out[2].error.message).toBe('not run: target "t2" failed, and --fail-fast starts no new target');
    expect(await history(dbs[1])).toEqual(['001_a']);
    for (const db of dbs.slice(2)) expect(await schemas(db)).toEqual(['public']);
  });

  it('SIGINT in the middle: running targets roll back and unlock, no new target starts, exit 130', async () => {
    const dbs = await createDatabases(4);
    writeFiles(dir, { '002_b.sql': table('b', '\nSELECT pg_sleep(60);') });
    const inOurs = dbs.map((d) => `'${d}'`).join(', ');
    const sleeping = async () => (await asAdmin<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname IN (${inOurs}) AND query LIKE '%pg_sleep(60)%' AND state = 'active'`))[0].n;
    const r = await runOn(dbs.map((db, i) => ({ name: `t${i + 1}`, db: urlOf(db) })), ['up', '--parallel', '2'], {
      onSpawn: (child) => void waitFor(async () => (await sleeping()) === 2, 'two targets in their slow migration').then(() => child.kill('SIGINT')),
    });
    expect(r.stderr).toContain('sqlmig: SIGINT received, rolling back');
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^t1: error\[interrupted\]: interrupted by SIGINT/m);
    expect(r.stdout).toMatch(/2 failed \(exit 130: 2\), 2 not run$/m);
    expect(await asAdmin(`SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname IN (${inOurs})`)).toEqual([]);
    for (const db of dbs.slice(0, 2)) {
      expect(await history(db)).toEqual(['001_a']);
      expect(await tables(db)).toEqual(['a']);
    }
    for (const db of dbs.slice(2)) expect(await schemas(db)).toEqual(['public']);
  });

  it('two runs at once on overlapping targets apply each migration once per target', async () => {
    const dbs = await createDatabases(6);
    // A little time per migration, so that the two runs meet on the shared targets.
    writeFiles(dir, { '002_b.sql': table('b', '\nSELECT pg_sleep(0.2);') });
    const targetsOf = (some: string[]) => some.map((db) => ({ name: db, db: urlOf(db) }));
    const [one, two] = await Promise.all([
      runOn(targetsOf(dbs.slice(0, 4)), ['up', '--parallel', '2']),
      runOn(targetsOf(dbs.slice(2, 6)), ['up', '--parallel', '2']),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    for (const db of dbs) {
      expect(await history(db)).toEqual(['001_a', '002_b', '003_c']);
      expect(await q(db, `SELECT name, count(*)::int AS n FROM sqlmig.events WHERE action = 'deploy' GROUP BY name ORDER BY name`))
        .toEqual([{ name: '001_a', n: 1 }, { name: '002_b', n: 1 }, { name: '003_c', n: 1 }]);
    }
  });

  it('down --to over databases and tenants; status --exit-code then says what is pending', async () => {
    const dbs = await createDatabases(2);
    const targets = [
      { name: 'db', db: urlOf(dbs[0]) },
      { name: 'tenant_a', db: urlOf(dbs[1]), searchPath: 'tenant_a' },
      { name: 'tenant_b', db: urlOf(dbs[1]), searchPath: 'tenant_b, public' },
    ];
    expect((await runOn(targets, ['up'])).code).toBe(0);
    const down = await runOn(targets, ['down', '--to', '001_a']);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^tenant_b: 2 reverted \(/m);
    expect(await history(dbs[0])).toEqual(['001_a']);
    expect(await tables(dbs[0])).toEqual(['a']);
    for (const t of ['tenant_a', 'tenant_b']) {
      expect(await history(dbs[1], `sqlmig_${t}`)).toEqual(['001_a']);
      expect(await tables(dbs[1], t)).toEqual(['a']);
    }
    const status = await runOn(targets, ['status', '--exit-code']);
    expect(status.code).toBe(6);
    expect(status.stdout).toMatch(/^tenant_a: 1 applied, 2 pending \(/m);
  });

  it('a mixed list: PostgreSQL and the embedded PostgreSQL in one run', async () => {
    const [db] = await createDatabases(1);
    const embedded = join(tempDir(), 'embedded');
    const targets = [{ name: 'server', db: urlOf(db) }, { name: 'embedded', db: `pglite:${embedded}` }];
    const r = await runOn(targets, ['up']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^embedded: 3 applied/m);
    expect(await history(db)).toEqual(['001_a', '002_b', '003_c']);
    const status = await runOn(targets, ['status', '--json']);
    const states = JSON.parse(status.stdout).targets.map((t: { name: string; result: { migrations: { state: string }[] } }) =>
      `${t.name}:${t.result.migrations.map((m) => m.state).join(',')}`);
    expect(states).toEqual(['server:applied,applied,applied', 'embedded:applied,applied,applied']);
  });

  it('targets from a control database: tenants from a query, a failing query and an unknown column are input errors', async () => {
    const [control] = await createDatabases(1);
    await q(control, `CREATE TABLE tenants (slug text, schema_name text); INSERT INTO tenants VALUES ('acme', 'tenant_acme'), ('globex', 'tenant_globex')`);
    const fromControl = (query: string) => sqlmig(['up', '--dir', dir, '--targets-from', urlOf(control), '--targets-query', query]);
    const r = await fromControl('SELECT slug AS name, schema_name AS search_path FROM tenants ORDER BY slug');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 targets in .+: 2 succeeded$/m);
    expect(await tables(control, 'tenant_globex')).toEqual(['a', 'b', 'c']);

    const failing = await fromControl('SELECT slug AS name FROM no_such_table');
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain('error[targets-query]: the targets query failed on postgres://');
    expect(failing.stderr).toContain('relation "no_such_table" does not exist (SQLSTATE 42P01)');
    const folded = await fromControl('SELECT slug AS name, schema_name AS searchPath FROM tenants');
    expect(folded.code).toBe(2);
    expect(folded.stderr).toContain('the targets query returned a column "searchpath", which sqlmig does not know');
    expect(folded.stderr).toContain('did you mean "search_path"?');
  });

  it('bad input is reported together, before any target is opened', async () => {
    const [db] = await createDatabases(1);
    writeFiles(dir, { '004_bad.sql': 'CREATE TABLE d (id int);\n-- revert\n' });
    const r = await runOn([
      { name: 'ok', db: urlOf(db) },
      { name: 'ok', db: 'postgres://postgres@127.0.0.1:1/nowhere' },
      { name: 'lite', db: 'sqlite:x.db', searchPath: 'tenant' },
      { name: 'shared', db: urlOf(db).replace('postgres:', 'postgresql:') },
    ], ['up']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const file = r.stderr.match(/^(\S+\.json):/m)![1];
    expect(r.stderr).toContain(`${file}:7:5 error[targets-duplicate]: two targets are named "ok"`);
    expect(r.stderr).toContain(`${file}:11:5 error[targets-dialect]: target "lite" is a sqlite database`);
    expect(r.stderr).toContain(`${file}:11:5 error[targets-search-path]: target "lite": searchPath is for PostgreSQL`);
    expect(r.stderr).toContain('SQLite has no schemas to choose among');
    expect(r.stderr).toContain(`${file}:16:5 error[targets-shared-history]: targets "ok" and "shared" would share one history`);
    expect(r.stderr).toContain(`${dir}/004_bad.sql:2:1 error[marker-without-colon]`);
    expect(r.stderr).toContain('sqlmig: 5 errors');
    expect(await schemas(db)).toEqual(['public']);
  });
});
