// The driver contract's PostgreSQL-family part (PostgreSQL, PGlite): what only their SQL can say — error
// positions, notices, deferred constraints at COMMIT, CREATE INDEX CONCURRENTLY, rules, session state,
// the history's own tables. The engine-neutral promises are in contract.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockError, MigrationError, Migrator, type MigratorOptions } from '../../src/index.js';
import type { TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;

export function runPgFamilyContract(name: string, fresh: () => Promise<TestDatabase>): void {
  describe(`PostgreSQL-family contract: ${name}`, () => {
    let db: TestDatabase;
    let dir: string;
    beforeEach(async () => { db = await fresh(); dir = tempDir(); });
    afterEach(async () => { await db.close(); });

    const migrator = async (options: Partial<MigratorOptions> = {}) =>
      new Migrator({ dir, driver: await db.driver(), lockWaitMs: 5_000, ...options });
    const history = async () => (await db.query<{ name: string; status: string }>(
      'SELECT name, status FROM sqlmig.migrations ORDER BY seq')).map((r) => `${r.name}:${r.status}`);
    const relationExists = async (n: string) => (await db.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [n])).length > 0;

    it('keeps its history in schema sqlmig: history_version 1, requires as text[], booleans as boolean', async () => {
      writeFiles(dir, { '01_b.sql': `-- requires: 02_a\n${table('b')}`, '02_a.sql': table('a') });
      await (await migrator()).up();
      expect(await db.query('SELECT version FROM sqlmig.history_version')).toEqual([{ version: 1 }]);
      const [row] = await db.query<Record<string, unknown>>(`SELECT * FROM sqlmig.migrations WHERE name = '01_b'`);
      expect(row).toMatchObject({ requires: ['02_a'], revert_sql: 'DROP TABLE b;\n', status: 'applied', transactional: true });
    });

    it('maps error positions in characters, after a line holding emoji', async () => {
      writeFiles(dir, { 'e.sql': "-- header 😀\nSELECT '😀😀', 'é';\nSELECT 😀x FROM pg_class;\n" });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error.position).toEqual({ path: `${dir}/e.sql`, line: 3, column: 8 });
      expect(error.details.codeFrame).toContain('> 3 | SELECT 😀x FROM pg_class;');
    });

    it('maps the position of an error in the first statement, which is sent together with BEGIN', async () => {
      writeFiles(dir, { 'f.sql': '-- 😀\n  SELECT nosuch_column FROM pg_class;\nCREATE TABLE never (id int);\n' });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error.position).toEqual({ path: `${dir}/f.sql`, line: 2, column: 10 });
      expect(error.details.statement).toBe(1);
      expect(await relationExists('never')).toBe(false);
    });

    it('fails a migration whose transaction cannot commit (a deferred constraint) and leaves nothing of it', async () => {
      writeFiles(dir, {
        'd.sql': 'CREATE TABLE parent (id int PRIMARY KEY);\n'
          + 'CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);\n'
          + 'INSERT INTO child VALUES (42);\n-- revert:\nDROP TABLE child, parent;\n',
      });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.message).toMatch(/^d: .*foreign key.*\(when committing\)$/);
      expect(error.details).toMatchObject({ sqlstate: '23503', migration: 'd', section: 'deploy' });
      expect(error.details.statement).toBeUndefined();
      expect(error.hint).toMatch(/committing the migration failed/);
      expect(error.position).toEqual({ path: `${dir}/d.sql`, line: 1, column: 1 });
      expect(await db.tables()).toEqual([]);
      expect(await history()).toEqual([]);
      expect(await db.events()).toEqual(['d:fail']);
    });

    it('stores the revert SQL exactly, quotes, backslashes and emoji included', async () => {
      const revert = "DROP TABLE odd; -- it's\nSELECT E'a\\\\b', 'c\\d', $$'$$, '😀';\n";
      writeFiles(dir, { 'o.sql': `CREATE TABLE odd (id int) -- no semicolon, and a comment last\n-- verify:\nSELECT 1 FROM odd\n-- revert:\n${revert}` });
      await (await migrator()).up();
      expect(await db.query('SELECT revert_sql FROM sqlmig.migrations')).toEqual([{ revert_sql: revert }]);
      await (await migrator()).down({ all: true });
      expect(await relationExists('odd')).toBe(false);
    });

    it('passes on what the server says while a migration runs, named after it, and nothing of its own', async () => {
      writeFiles(dir, {
        '1.sql': "DROP TABLE IF EXISTS nothing_here;\nDO $$ BEGIN RAISE WARNING 'careful' USING DETAIL = 'd', HINT = 'h'; END $$;\n",
        '2.sql': "-- transaction: off\nDO $$ BEGIN RAISE NOTICE 'outside %', 2; END $$;\n",
        '3.sql': 'SELEC 1;\n',
      });
      const notices: unknown[] = [];
      const error = await (await migrator({ onServerNotice: (n) => notices.push(n) })).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      // The ROLLBACK after 3's syntax error warns that no transaction was open: that is sqlmig's, not the file's.
      expect(notices).toEqual([
        { migration: '1', severity: 'NOTICE', message: 'table "nothing_here" does not exist, skipping', detail: undefined, hint: undefined },
        { migration: '1', severity: 'WARNING', message: 'careful', detail: 'd', hint: 'h' },
        { migration: '2', severity: 'NOTICE', message: 'outside 2', detail: undefined, hint: undefined },
      ]);
    });

    it('runs transaction: off files statement by statement (CREATE INDEX CONCURRENTLY)', async () => {
      writeFiles(dir, {
        '1.sql': table('t'),
        '2.sql': '-- requires: 1\n-- transaction: off\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n-- revert:\nDROP INDEX CONCURRENTLY t_id;\n',
      });
      const m = await migrator();
      await m.up();
      expect(await relationExists('t_id')).toBe(true);
      await m.down();
      expect(await relationExists('t_id')).toBe(false);
    });

    it('keeps a rule with several actions one statement, as psql does, in and out of a transaction', async () => {
      const rule = (t: string) => `CREATE TABLE ${t} (id int);\nCREATE TABLE ${t}_log (id int);\n`
        + `CREATE RULE ${t}_r AS ON INSERT TO ${t} DO ALSO (INSERT INTO ${t}_log VALUES (NEW.id); INSERT INTO ${t}_log VALUES (NEW.id + 1));\n`
        + `INSERT INTO ${t} VALUES (1);\n`;
      writeFiles(dir, { 'in.sql': rule('ruled_in'), 'out.sql': `-- transaction: off\n${rule('ruled_out')}` });
      await (await migrator()).up();
      expect(await db.query('SELECT count(*)::int AS n FROM ruled_in_log')).toEqual([{ n: 2 }]);
      expect(await db.query('SELECT count(*)::int AS n FROM ruled_out_log')).toEqual([{ n: 2 }]);
    });

    it('says to use transaction: off when a statement refuses to run in a transaction', async () => {
      writeFiles(dir, { '1.sql': table('t'), '2.sql': '-- requires: 1\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n' });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details.sqlstate).toBe('25001');
      expect(error.hint).toContain('add "-- transaction: off" to the file header');
      expect(await relationExists('t_id')).toBe(false);
    });

    it('resets session state between migrations (search_path, role)', async () => {
      writeFiles(dir, {
        '1.sql': 'CREATE SCHEMA other;\nSET search_path TO other;\nCREATE TABLE in_other (id int);\n',
        '2.sql': 'CREATE TABLE in_public (id int);\n',
      });
      await (await migrator()).up();
      expect(await db.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'in_public'`)).toEqual([{ table_schema: 'public' }]);
    });

    it('resets what set_config and temporary tables leave in the session, even before plain DDL', async () => {
      writeFiles(dir, {
        '1.sql': "CREATE SCHEMA s2;\nSELECT set_config('search_path', 's2', false);\n",
        '2.sql': 'CREATE TABLE after_set_config (id int);\n',
        '3.sql': 'CREATE TEMP TABLE shadow (id int);\n',
        '4.sql': 'CREATE TABLE shadow (id int);\n',
        '5.sql': 'INSERT INTO shadow VALUES (1);\n',
      });
      await (await migrator()).up();
      expect(await db.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'after_set_config'`)).toEqual([{ table_schema: 'public' }]);
      expect(await db.query('SELECT count(*)::int AS n FROM public.shadow')).toEqual([{ n: 1 }]);
    });
  });
}

/** Lock behaviour, for drivers whose database other sessions can reach. */
export function runLockContract(name: string, fresh: () => Promise<TestDatabase>): void {
  describe(`lock contract: ${name}`, () => {
    it('waits --lock-wait for a held lock, then fails naming the holder (exit 4)', async () => {
      const db = await fresh();
      const dir = writeFiles(tempDir(), { '1.sql': table('l1') });
      const driver = await db.driver();
      const holder = await driver.connect();
      await holder.query(`SET application_name = 'the-holder'`);
      expect(await driver.lock(holder, 'sqlmig').tryAcquire()).toBe(true);
      const error = await new Migrator({ dir, driver, lockWaitMs: 300 }).up().catch((e) => e);
      expect(error).toBeInstanceOf(LockError);
      expect(error.exitCode).toBe(4);
      expect(error.message).toMatch(/held by pid \d+, application_name "the-holder"/);
      expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'l1'`)).toEqual([]);
      // Another history schema has its own lock.
      await new Migrator({ dir, driver, lockWaitMs: 300, schema: 'other' }).up();
      await holder.close();
      await db.close();
    });
  });
}
