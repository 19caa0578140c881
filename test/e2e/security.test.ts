// Hostile values: a canary password through every path, SQL in names, a role without privileges.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asAdmin, freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { CANARY_RIGHT_PASSWORD, CANARY_USER, TEST_USER } from '../helpers/global-setup.js';
import { sqlmig, type CliResult } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { lacking } from '../helpers/lacking.js';

const CANARY = 'Canary#%/@:?pw';
const forms = [CANARY, encodeURIComponent(CANARY), 'Canary#', 'Canary%23'];
const expectNoCanary = (r: CliResult) => {
  for (const form of forms) expect(r.stdout + r.stderr).not.toContain(form);
};

describe.skipIf(!postgresUrl)('security', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const host = () => new URL(postgresUrl!).host;
  const database = () => new URL(db.url!).pathname;

  it('never prints a wrong canary password, raw or percent-encoded, through any path (exit 3)', async () => {
    // Is password authentication in force for the canary role (scripts/setup-test-postgres.sh)?
    const probe = await sqlmig(['status', '--dir', writeFiles(tempDir(), {}), '--db', `postgres://${CANARY_USER}:wrong@${host()}/postgres`]);
    if (probe.code === 0) {
      const reason = 'password authentication is not enabled for the canary role: run scripts/setup-test-postgres.sh';
      lacking(reason, 'the wrong-password test');
      return;
    }
    writeFiles(dir, { '1.sql': 'CREATE TABLE x (id int);\n' });
    const url = `postgres://${CANARY_USER}:${encodeURIComponent(CANARY)}@${host()}${database()}`;
    const runs = await Promise.all([
      sqlmig(['up', '--dir', dir, '--db', url]),
      sqlmig(['up', '--dir', dir, '--db', url, '--json']),
      sqlmig(['status', '--dir', dir], { env: { DATABASE_URL: url } }),
      sqlmig(['up', '--dir', dir, '--db', `postgres://${host()}${database()}`], { env: { PGPASSWORD: CANARY, PGUSER: CANARY_USER } }),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(3);
      expectNoCanary(r);
    }
    expect(runs[0].stderr).toContain(`password authentication failed for user "${CANARY_USER}"`);
    expect(JSON.parse(runs[1].stdout).error).toMatchObject({ code: 'connection', exitCode: 3 });
    // The right password works, and still is never printed.
    const right = await sqlmig(['up', '--dir', dir, '--db', `postgres://${CANARY_USER}:${CANARY_RIGHT_PASSWORD}@${host()}${database()}`]);
    expect(right.stdout + right.stderr).not.toContain(CANARY_RIGHT_PASSWORD);
  });

  it('never prints the canary from malformed URLs, refused connections or SQL failures', async () => {
    writeFiles(dir, { '1.sql': 'SELECT nosuch;\n' });
    const raw = CANARY;
    const enc = encodeURIComponent(CANARY);
    const runs = await Promise.all([
      sqlmig(['up', '--dir', dir, '--db', `postgres://u:${raw}@`]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://u:${enc}@[::1/db`]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://u:${raw}@127.0.0.1:1/db`, '--json']),
      sqlmig(['up', '--dir', dir, '--db', `postgres://postgres:${enc}@${host()}${database()}`]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://postgres:${enc}@${host()}${database()}`, '--json']),
      sqlmig(['up', '--dir', dir, '--db', `mysql://u:${enc}@h/db`]),
      sqlmig(['up', '--dir', dir, '--db', `postgres://${host()}${database()}?user=postgres&password=${enc}`]),
    ]);
    // A raw '#' starts a URL fragment: such URLs are malformed (exit 2); the encoded ones connect, or find no host 'h' (exit 3).
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 1, 1, 3, 1]);
    runs.forEach(expectNoCanary);
  });

  it('quotes a hostile --schema: no injection, the history lives in a schema of exactly that name', async () => {
    await db.query('CREATE TABLE keep (id int)');
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id int);\n-- revert:\nDROP TABLE t;\n' });
    const hostile = `x"; DROP TABLE keep; --`;
    const r = await sqlmig(['up', '--dir', dir, '--db', db.url!, '--schema', hostile]);
    expect(r.code).toBe(0);
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'keep'`)).toHaveLength(1);
    expect(await db.query('SELECT nspname FROM pg_namespace WHERE nspname = $1', [hostile])).toEqual([{ nspname: hostile }]);
    expect((await sqlmig(['down', '--dir', dir, '--db', db.url!, '--schema', hostile])).code).toBe(0);
  });

  it('rejects migration names that could carry SQL before connecting', async () => {
    writeFiles(dir, { "x'; DROP TABLE keep; --.sql": 'SELECT 1;\n' });
    const r = await sqlmig(['up', '--dir', dir, '--db', db.url!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[invalid-name]');
  });

  it('gives a role without CREATE on the history schema a clear error, and creates nothing', async () => {
    const dbName = database().slice(1);
    await asAdmin('CREATE SCHEMA sqlmig', [], dbName);
    await asAdmin(`GRANT CONNECT ON DATABASE ${dbName} TO ${TEST_USER}`);
    writeFiles(dir, { '1.sql': 'CREATE TABLE should_not_exist (id int);\n' });
    const url = `postgres://${TEST_USER}@${host()}${database()}`;
    const r = await sqlmig(['up', '--dir', dir, '--db', url]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error[history-permission]: may not create the history in schema "sqlmig": permission denied for schema sqlmig');
    expect(r.stderr).toContain('GRANT USAGE, CREATE ON SCHEMA "sqlmig"');
    expect(await db.query(`SELECT relname FROM pg_class WHERE relnamespace = 'sqlmig'::regnamespace`)).toEqual([]);
    expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'should_not_exist'`)).toEqual([]);
  });
});
