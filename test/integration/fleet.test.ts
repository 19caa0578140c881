// A schema per tenant on the PostgreSQL family (the migration session's search_path), and the Fleet as a library.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fleet, InputError, Migrator, UsageError, type FleetEvent } from '../../src/index.js';
import { freshPglite, freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const table = (n: string, extra = '') => `CREATE TABLE ${n} (id int);${extra}\n-- revert:\nDROP TABLE ${n};\n`;

const engines: [string, () => Promise<TestDatabase>, boolean][] = [['postgres', freshPostgres, !postgresUrl], ['pglite', freshPglite, false]];

describe.each(engines)('searchPath on %s', (_name, fresh, skip) => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { if (!skip) db = await fresh(); dir = tempDir(); });
  afterEach(async () => { await db?.close(); });
  const tablesOf = async (schema: string) => (await db.query<{ t: string }>(
    'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])).map((r) => r.t);

  it.skipIf(skip)('puts unqualified names in the tenant\'s schema, through session resets, transaction: off files and reverts', async () => {
    writeFiles(dir, {
      // A file that moves the session elsewhere: the next one must still land in the tenant's schema.
      '1.sql': `${table('a')}SET search_path = public;\n`,
      '2.sql': '-- transaction: off\nCREATE TABLE b (id int);\nCREATE INDEX b_id ON b (id);\n-- revert:\nDROP TABLE b;\n',
      '3.sql': table('c', '\nINSERT INTO c SELECT count(*) FROM a;'),
    });
    const migrator = new Migrator({ dir, driver: await db.driver(), searchPath: 'tenant_1, public' });
    expect((await migrator.up()).steps).toHaveLength(3);
    expect(await tablesOf('tenant_1')).toEqual(['a', 'b', 'c']);
    expect(await tablesOf('public')).toEqual([]);
    // The history is the tenant's own, in sqlmig_<first schema>.
    expect(await db.events('sqlmig_tenant_1')).toEqual(['1:deploy', '2:deploy', '3:deploy']);
    expect(await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'sqlmig'`)).toEqual([]);

    await new Migrator({ dir, driver: await db.driver(), searchPath: 'tenant_1, public' }).down({ to: '1' });
    expect(await tablesOf('tenant_1')).toEqual(['a']);
    const status = await new Migrator({ dir, driver: await db.driver(), searchPath: 'tenant_1, public' }).status();
    expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'pending', 'pending']);
  });
});

describe('searchPath elsewhere', () => {
  it('is a usage error on SQLite and MySQL, saying why', () => {
    expect(() => new Migrator({ dir: 'm', db: 'sqlite:x.db', searchPath: 't' })).toThrow(UsageError);
    expect(() => new Migrator({ dir: 'm', db: 'sqlite:x.db', searchPath: 't' })).toThrow(/SQLite has no schemas to choose among/);
    expect(() => new Migrator({ dir: 'm', db: 'mysql://root@h/app', searchPath: 't' })).toThrow(/MySQL has no search_path/);
  });
});

describe.skipIf(!postgresUrl)('Fleet, as a library', () => {
  let dbs: TestDatabase[];
  let dir: string;
  beforeEach(async () => {
    dbs = [await freshPostgres(), await freshPostgres()];
    dir = writeFiles(tempDir(), { '1.sql': table('a'), '2.sql': table('b', '\nSELECT pg_sleep(60);'), '3.sql': table('c') });
  });
  afterEach(async () => { for (const db of dbs) await db.close(); });

  it('never throws for a target: each outcome is a result or an error; interrupt starts no new target', async () => {
    const events: string[] = [];
    const fleet = new Fleet({
      dir, parallel: 1,
      targets: [{ name: 'one', db: dbs[0].url! }, { name: 'two', db: dbs[1].url! }],
      onProgress: (e: FleetEvent) => { if (e.type !== 'connected' && e.type !== 'connect-wait') events.push(`${e.target}:${e.type}`); },
    });
    const running = fleet.up();
    await waitFor(async () => (await dbs[0].query(
      `SELECT 1 FROM pg_stat_activity WHERE application_name = 'sqlmig' AND query LIKE '%pg_sleep(60)%' AND state = 'active' AND datname = current_database()`)).length > 0);
    fleet.interrupt('SIGINT');
    const { targets, exitCode } = await running;
    expect(exitCode).toBe(130);
    expect(targets.map((t) => ('error' in t ? `${t.name}:${t.error.code}` : `${t.name}:ok`))).toEqual(['one:interrupted', 'two:not-run']);
    expect(events).toEqual(['one:target-start', 'one:start', 'one:done', 'one:start', 'one:target-done']);
    expect(await dbs[0].events()).toEqual(['1:deploy', '2:fail']);
    expect(await dbs[1].query(`SELECT 1 FROM pg_namespace WHERE nspname = 'sqlmig'`)).toEqual([]);
  });

  it('refuses a bad list before anything runs', () => {
    expect(() => new Fleet({ dir, targets: [] })).toThrow(InputError);
    expect(() => new Fleet({ dir, targets: [{ name: 'a', db: dbs[0].url! }, { name: 'a', db: dbs[1].url! }] })).toThrow('1 error in the input');
    expect(() => new Fleet({ dir, targets: [{ name: 'a', db: dbs[0].url! }], parallel: 0 })).toThrow('--parallel takes a whole number of at least 1');
  });
});
