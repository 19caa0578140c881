// The driver contract on SQLite, as a file and in memory, and what only SQLite has: triggers with
// BEGIN … END, its quoting, VACUUM, the foreign-keys directive, its history tables, its snapshots.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectionError, describeDifference, InputError, loadProject, MigrationError, Migrator, SQLITE, sqliteDriver, verifyProject,
  type MigratorOptions,
} from '../../src/index.js';
import { freshSqliteFile, freshSqliteMemory, type TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { historyRows, runDriverContract } from './contract.js';
import { runDriftContract } from './drift.js';
import { runRepeatableContract } from './repeatable.js';

runDriverContract('sqlite (file)', freshSqliteFile);
runDriverContract('sqlite (memory)', freshSqliteMemory);
runDriftContract('sqlite', freshSqliteFile);
runRepeatableContract('sqlite', freshSqliteFile, { positions: false });

const PARENT_CHILD = {
  '1_parent.sql': "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO parent VALUES (1, 'one'), (2, 'two');\n-- revert:\nDROP TABLE parent;\n",
  '2_child.sql': '-- requires: 1_parent\n'
    + 'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\n'
    + 'INSERT INTO child VALUES (10, 1), (11, 2);\n-- revert:\nDROP TABLE child;\n',
};

/** SQLite's documented rebuild of `parent`, `keep` choosing which of its rows survive. */
const rebuild = (keep: string) => '-- requires: 2_child\n-- foreign-keys: off\n'
  + "CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
  + `INSERT INTO new_parent SELECT id, coalesce(name, '') FROM parent WHERE ${keep};\n`
  + 'DROP TABLE parent;\nALTER TABLE new_parent RENAME TO parent;\n'
  + '-- revert:\nCREATE TABLE old_parent (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO old_parent SELECT id, name FROM parent;\n'
  + 'DROP TABLE parent;\nALTER TABLE old_parent RENAME TO parent;\n';

describe('SQLite', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshSqliteFile(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const migrator = async (options: Partial<MigratorOptions> = {}) => new Migrator({ dir, driver: await db.driver(), lockWaitMs: 2_000, ...options });

  it('keeps a trigger with BEGIN … END and CASE … END inside one statement, in and out of a transaction', async () => {
    const trigger = (t: string) => `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, n INTEGER, size TEXT);\n`
      + `CREATE TRIGGER ${t}_size AFTER INSERT ON ${t} BEGIN\n`
      + `  UPDATE ${t} SET size = CASE WHEN NEW.n > 10 THEN 'big' ELSE 'small' END WHERE id = NEW.id;\n`
      + `  UPDATE ${t} SET n = n + 0 WHERE id = NEW.id;\nEND;\n`
      + `INSERT INTO ${t} (n) VALUES (5), (50);\n-- revert:\nDROP TABLE ${t};\n`;
    writeFiles(dir, { '1.sql': trigger('inside'), '2.sql': `-- transaction: off\n${trigger('outside')}` });
    await (await migrator()).up();
    expect(await db.query('SELECT size FROM inside ORDER BY id')).toEqual([{ size: 'small' }, { size: 'big' }]);
    expect(await db.query('SELECT size FROM outside ORDER BY id')).toEqual([{ size: 'small' }, { size: 'big' }]);
  });

  it('reads "x", [x] and `x` identifiers, and a -- revert: marker inside them is no marker', async () => {
    writeFiles(dir, {
      'q.sql': 'CREATE TABLE [odd table] ("a;b" INTEGER, `c -- revert:` TEXT, [d;] TEXT);\n'
        + "INSERT INTO `odd table` VALUES (1, '; -- revert:', 'x');\n-- revert:\nDROP TABLE \"odd table\";\n",
    });
    await (await migrator()).up();
    expect(await db.query('SELECT * FROM [odd table]')).toEqual([{ 'a;b': 1, 'c -- revert:': '; -- revert:', 'd;': 'x' }]);
    await (await migrator()).down();
    expect(await db.tables()).toEqual([]);
  });

  it('refuses transaction control at the top level of a transactional file, before connecting', async () => {
    writeFiles(dir, {
      'b.sql': 'BEGIN TRANSACTION;\nCREATE TABLE t (id INTEGER);\nEND TRANSACTION;\n',
      'c.sql': 'CREATE TABLE u (id INTEGER);\nCREATE TRIGGER u_t AFTER INSERT ON u BEGIN SELECT 1; END;\nCOMMIT;\n',
    });
    const error = await (await migrator()).up().catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.diagnostics.map((d: { code: string; message: string; position: { line: number } }) => `${d.position.line}:${d.message}`)).toEqual([
      '1:BEGIN in a transactional migration', '3:END in a transactional migration', '3:COMMIT in a transactional migration',
    ]);
    expect(existsSync(db.url!.slice('sqlite:'.length))).toBe(false);
  });

  it('runs VACUUM in a transaction: off file, and says to use it when VACUUM is in a transaction', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id INTEGER);\n-- revert:\nDROP TABLE t;\n', '2.sql': '-- requires: 1\nVACUUM;\n-- revert:\n' });
    const error = await (await migrator()).up().catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.details).toMatchObject({ migration: '2', code: 'SQLITE_ERROR', statement: 1 });
    expect(error.hint).toContain('add "-- transaction: off" to the file header');
    writeFileSync(join(dir, '2.sql'), '-- requires: 1\n-- transaction: off\nVACUUM;\n-- revert:\n');
    expect((await (await migrator()).up()).steps.map((s) => s.name)).toEqual(['2']);
  });

  it('names the SQLite error code and points at the failing statement (SQLite gives no position)', async () => {
    writeFiles(dir, { 'u.sql': "-- 😀 first\nCREATE TABLE u (e TEXT UNIQUE);\nINSERT INTO u VALUES ('a');\n  INSERT INTO u VALUES ('a');\n" });
    const error = await (await migrator()).up().catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toBe('u: UNIQUE constraint failed: u.e');
    expect(error.details).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE', sqlstate: undefined, statement: 3 });
    expect(error.position).toEqual({ path: `${dir}/u.sql`, line: 4, column: 3 });
  });

  it('rebuilds a referenced table with foreign-keys: off: the children stay, and foreign keys are on again afterwards', async () => {
    writeFiles(dir, { ...PARENT_CHILD, '3_rebuild.sql': rebuild('true') });
    await (await migrator()).up();
    // With foreign keys on, DROP TABLE parent would have deleted every child (ON DELETE CASCADE).
    expect(await db.query('SELECT id, parent_id FROM child ORDER BY id')).toEqual([{ id: 10, parent_id: 1 }, { id: 11, parent_id: 2 }]);
    expect(await db.query(`SELECT "notnull" FROM pragma_table_info('parent') WHERE name = 'name'`)).toEqual([{ notnull: 1 }]);
    await (await migrator()).down();
    expect(await db.query('SELECT count(*) AS n FROM child')).toEqual([{ n: 2 }]);
    // The same session then enforces them: a step after the rebuild cannot orphan a child.
    writeFiles(dir, { '4_orphan.sql': '-- requires: 3_rebuild\nINSERT INTO child VALUES (12, 99);\n-- revert:\n' });
    const error = await (await migrator()).up().catch((e) => e);
    expect(error.details).toMatchObject({ migration: '4_orphan', code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
  });

  it('rolls back a rebuild that drops a referenced row, listing the violations', async () => {
    writeFiles(dir, { ...PARENT_CHILD, '3_rebuild.sql': rebuild('id <> 2') });
    const error = await (await migrator()).up().catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toBe('3_rebuild: FOREIGN KEY check failed: 1 row without its parent row (when committing)');
    expect(error.details).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY', detail: 'child rowid 11: parent_id -> parent(id)', statement: undefined });
    expect(error.details.serverHint).toContain('left child rows whose parent row is gone');
    expect(error.position).toEqual({ path: `${dir}/3_rebuild.sql`, line: 3, column: 1 });
    expect((await historyRows(db)).map((r) => r.name)).toEqual(['1_parent', '2_child']);
    expect(await db.query('SELECT id FROM parent ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await db.tables()).toEqual(['child', 'parent']);
    expect(await db.events()).toEqual(['1_parent:deploy', '2_child:deploy', '3_rebuild:fail']);
  });

  it('refuses foreign-keys: off with --single-transaction, and restores the setting after a failure', async () => {
    const memory = new Database(':memory:');
    const m = new Migrator({ dir, driver: sqliteDriver(memory) });
    writeFiles(dir, { ...PARENT_CHILD, '3_rebuild.sql': rebuild('id <> 2') });
    const refused = await m.up({ singleTransaction: true }).catch((e) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused.diagnostics[0].message).toBe('"3_rebuild" has "foreign-keys: off" and cannot run inside --single-transaction');
    await expect(m.up()).rejects.toBeInstanceOf(MigrationError);
    expect(memory.pragma('foreign_keys', { simple: true })).toBe(1);
    memory.close();
  });

  it('names its history tables after --schema', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id INTEGER);\n-- revert:\nDROP TABLE t;\n' });
    await (await migrator()).up();
    await (await migrator({ schema: 'app' })).up({ logOnly: true });
    const names = (await db.query<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)).map((r) => r.name);
    expect(names).toEqual(['app_events', 'app_history_version', 'app_migrations', 'sqlmig_events', 'sqlmig_history_version', 'sqlmig_migrations', 't']);
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM app_migrations');
    expect(row).toMatchObject({ name: '1', seq: 1, requires: '[]', transactional: 1, status: 'applied', sqlmig_version: expect.any(String) });
    expect(String(row.applied_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await db.query('SELECT version FROM app_history_version')).toEqual([{ version: 1 }]);
  });

  it('reads a missing file as an empty database and creates it only to write: status and a dry run leave no file', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id INTEGER);\n-- revert:\nDROP TABLE t;\n' });
    const path = db.url!.slice('sqlite:'.length);
    expect((await (await migrator()).status()).migrations.map((s) => s.state)).toEqual(['pending']);
    expect((await (await migrator()).up({ dryRun: true })).steps.map((s) => s.name)).toEqual(['1']);
    expect((await (await migrator()).down()).steps).toEqual([]);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(false);
    await (await migrator()).up();
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('reads, once it holds the lock, the file that another run created while it waited', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id INTEGER);\n-- revert:\nDROP TABLE t;\n' });
    const driver = await db.driver();
    const waiting = await driver.connect();
    try {
      // Another run creates the file and applies everything in between.
      await (await migrator()).up();
      const store = driver.history(waiting, 'sqlmig');
      expect(await driver.lock(waiting, 'sqlmig').tryAcquire()).toBe(true);
      await store.ensure();
      expect((await store.read()).map((r) => r.name)).toEqual(['1']);
    } finally {
      await waiting.close();
    }
    expect(existsSync(`${db.url!.slice('sqlite:'.length)}.lock`)).toBe(false);
  });

  it('reads a read-only file (status) but will not write it (exit 3), nor change it', async () => {
    writeFiles(dir, { '1.sql': 'CREATE TABLE t (id INTEGER);\n-- revert:\nDROP TABLE t;\n', '2.sql': 'CREATE TABLE u (id INTEGER);\n-- revert:\nDROP TABLE u;\n' });
    await (await migrator()).up({ to: '1' });
    const path = db.url!.slice('sqlite:'.length);
    chmodSync(path, 0o444);
    try {
      expect((await (await migrator()).status()).migrations.map((s) => s.state)).toEqual(['applied', 'pending']);
      const before = await db.writeMark();
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe(`cannot write to ${db.url}: the file is read-only (mode 444)`);
      expect(await db.writeMark()).toBe(before);
      expect(existsSync(`${path}.lock`)).toBe(false);
    } finally {
      chmodSync(path, 0o644);
    }
  });

  it('verifies round trips on in-memory databases: a rebuild and its revert restore the schema; a forgotten index does not', async () => {
    writeFiles(dir, {
      ...PARENT_CHILD, '3_rebuild.sql': rebuild('true'),
      '4_index.sql': '-- requires: 2_child\nCREATE INDEX child_parent ON child (parent_id);\n-- revert:\n',
      '5_view.sql': '-- requires: 2_child\nCREATE VIEW children AS SELECT * FROM child;\n-- revert:\nDROP VIEW children;\n',
    });
    const report = await verifyProject(await loadProject(dir, SQLITE));
    expect(report.scratch).toBe('in-memory SQLite databases');
    expect(report.results.map((r) => `${r.name}:${r.status}`)).toEqual([
      '1_parent:ok', '2_child:ok', '3_rebuild:ok', '4_index:revert-incomplete', '5_view:ok',
    ]);
    expect(report.results[3].differences!.map(describeDifference)).toEqual(['index main.child_parent: still present after revert']);
  });

  it('verify --isolation finds a missing requires from "no such table"', async () => {
    writeFiles(dir, {
      '1_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n-- revert:\nDROP TABLE users;\n',
      '2_names.sql': 'CREATE INDEX users_id ON users (id);\n-- revert:\nDROP INDEX users_id;\n',
    });
    const report = await verifyProject(await loadProject(dir, SQLITE), { isolation: true });
    expect(report.results.map((r) => `${r.name}:${r.status}`)).toEqual(['1_users:ok', '2_names:missing-requires']);
    expect(report.results[1].missing).toEqual({ object: 'users', createdBy: '1_users' });
  });
});
