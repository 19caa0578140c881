// The driver contract on MariaDB, and what only MySQL and MariaDB have: compound statements, DELIMITER, executable
// comments, backslash strings, the session reset, settings and timeouts, the named lock, history tables, verify.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  describeDifference, loadProject, LockError, MigrationError, Migrator, MYSQL, UsageError, verifyProject, type MigratorOptions,
} from '../../src/index.js';
import { freshMysql, mysqlConnection, mysqlUrl, mysqlUrlOf, type TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { historyRows, runDriverContract } from './contract.js';
import { runDriftContract } from './drift.js';
import { COMPOUND, DELIMITED, ESCAPES, MYSQLDUMP } from './mysql-fixtures.js';
import { runRepeatableContract } from './repeatable.js';

describe.skipIf(!mysqlUrl)('MariaDB', () => {
  runDriverContract('mariadb', freshMysql);
  runDriftContract('mariadb', freshMysql);
  runRepeatableContract('mariadb', freshMysql, { positions: false });

  describe('MySQL and MariaDB only', () => {
    let db: TestDatabase;
    let dir: string;
    beforeEach(async () => { db = await freshMysql(); dir = tempDir(); });
    afterEach(async () => { await db.close(); });
    const migrator = async (options: Partial<MigratorOptions> = {}) => new Migrator({ dir, driver: await db.driver(), lockWaitMs: 5_000, ...options });
    const count = async (sql: string) => Number((await db.query<{ n: unknown }>(sql))[0].n);
    const ownObjects = () => count(`SELECT (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE())
      + (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())
      + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = DATABASE()) AS n`);
    const databaseName = () => new URL(db.url!).pathname.slice(1);

    it('applies procedures, functions, triggers and events (BEGIN … END, IF, loops, cursors, handlers) as one statement each, and reverts them', async () => {
      writeFiles(dir, { '1.sql': COMPOUND });
      await (await migrator()).up();
      expect(await db.query('SELECT n, size FROM items ORDER BY id')).toEqual([
        { n: 10, size: 'small' }, { n: 20, size: 'medium' }, { n: 30, size: 'medium' }, { n: 400, size: 'big' }, { n: 500, size: 'big' },
      ]);
      expect(await db.query('SELECT note FROM audit ORDER BY item_id')).toEqual(['1', '2', '3', '4', '5'].map((i) => ({ note: `seen; ${i}` })));
      expect(await ownObjects()).toBe(5);
      await expect(db.query('INSERT INTO items (n) VALUES (-1)')).rejects.toThrow('negative; refused');
      await (await migrator()).down();
      expect(await db.tables()).toEqual([]);
      expect(await ownObjects()).toBe(0);
    });

    it('honours DELIMITER lines and mysqldump\'s executable comments, with and without a DELIMITER', async () => {
      writeFiles(dir, { '1.sql': DELIMITED, '2.sql': `-- requires: 1\n${MYSQLDUMP}` });
      await (await migrator()).up();
      expect(await db.query('CALL greet(@g); SELECT @g AS g')).toContainEqual([{ g: 'hello; world' }]);
      expect(await db.query('SELECT n FROM counts ORDER BY n')).toEqual([{ n: 4 }, { n: 42 }]);
      await (await migrator()).down({ all: true });
      expect(await db.tables()).toEqual([]);
      expect(await ownObjects()).toBe(0);
    });

    it('reads backslash escapes in \'…\' and "…" strings and # comments, so a marker inside a string stays text', async () => {
      writeFiles(dir, { '1.sql': ESCAPES });
      await (await migrator()).up();
      expect((await db.query<{ body: string }>('SELECT body FROM notes ORDER BY id')).map((r) => r.body)).toEqual([
        "it's; here", 'double "quoted"; too', 'back\\slash', 'a \'quoted\n-- revert:\n\' line', 'one # not a comment',
      ]);
      expect((await historyRows(db))[0].revertSql).toBe('# gone; all of it\nDROP TABLE notes;\n');
      await (await migrator()).down();
      expect(await db.tables()).toEqual([]);
    });

    it('restores the session after each migration: autocommit, sql_mode, foreign_key_checks, the database', async () => {
      writeFiles(dir, {
        '1.sql': 'CREATE TABLE parent (id INT PRIMARY KEY);\nCREATE TABLE child (parent_id INT, FOREIGN KEY (parent_id) REFERENCES parent (id));\n'
          + 'CREATE TABLE notes (body TEXT);\n',
        '2.sql': "SET foreign_key_checks = 0;\nSET sql_mode = 'ANSI_QUOTES';\nUSE mysql;\n",
        '3.sql': '-- transaction: off\nSET autocommit = 0;\n',
        '4.sql': 'CREATE TABLE later (id INT);\n',
        '5.sql': 'INSERT INTO notes VALUES ("a string again");\n',
      });
      await (await migrator()).up();
      // Left with autocommit off, the history writes after 3 would have gone with the connection.
      expect((await historyRows(db)).map((r) => `${r.name}:${r.status}`)).toEqual(['1:applied', '2:applied', '3:applied', '4:applied', '5:applied']);
      expect(await db.query('SELECT body FROM notes')).toEqual([{ body: 'a string again' }]);
      writeFiles(dir, { '6.sql': 'INSERT INTO child VALUES (99);\n' });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details).toMatchObject({ sqlstate: '23000', detail: 'errno 1452 (ER_NO_REFERENCED_ROW_2)', statement: 1 });
    });

    it('applies the run\'s settings to every migration (--lock-timeout, --statement-timeout, utf8mb4), and names a timeout that runs out', async () => {
      const seen = 'SELECT @@session.lock_wait_timeout AS l, @@session.innodb_lock_wait_timeout AS i, @@session.max_statement_time AS s, '
        + '@@session.collation_connection AS c';
      writeFiles(dir, {
        '1.sql': `CREATE TABLE ddl_seen AS ${seen};\n`, '2.sql': 'CREATE TABLE dml_seen (l INT, i INT, s DOUBLE, c VARCHAR(64));\n',
        '3.sql': `INSERT INTO dml_seen ${seen};\n`,
      });
      await (await migrator({ lockTimeoutMs: 2_500, statementTimeoutMs: 1_500 })).up();
      // Strings as the mysql client sends them: utf8mb4 in the server's default collation for it.
      const [{ c }] = await db.query<{ c: string }>(`SELECT default_collate_name AS c FROM information_schema.character_sets WHERE character_set_name = 'utf8mb4'`);
      const expected = [{ l: 3, i: 3, s: 1.5, c }];
      expect(await db.query('SELECT l, i, s, c FROM ddl_seen')).toEqual(expected);
      expect(await db.query('SELECT l, i, s, c FROM dml_seen')).toEqual(expected);

      // A transaction of the test's own holds a metadata lock on ddl_seen: ALTER TABLE waits for it, up to --lock-timeout.
      await db.query('START TRANSACTION');
      await db.query('SELECT * FROM ddl_seen');
      writeFiles(dir, { '4.sql': 'ALTER TABLE ddl_seen ADD COLUMN extra INT;\n' });
      const waited = await (await migrator({ lockTimeoutMs: 1_000 })).up().catch((e) => e);
      await db.query('ROLLBACK');
      expect(waited).toBeInstanceOf(MigrationError);
      expect(waited.message).toBe('4: Lock wait timeout exceeded; try restarting transaction');
      expect(waited.hint).toContain('raise --lock-timeout');

      writeFiles(dir, { '4.sql': 'SELECT SLEEP(5);\n' });
      const slow = await (await migrator({ statementTimeoutMs: 300 })).up().catch((e) => e);
      expect(slow).toBeInstanceOf(MigrationError);
      expect(slow.details).toMatchObject({ sqlstate: '70100', detail: 'errno 1969' });
      expect(slow.hint).toContain('raise --statement-timeout');
    });

    it('applies each file once when two runs start together', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 8; i++) files[`${i}.sql`] = `CREATE TABLE p${i} (id INT);\nINSERT INTO p${i} VALUES (${i});\n`;
      writeFiles(dir, files);
      const results = await Promise.all([migrator(), migrator()].map(async (m) => (await m).up()));
      expect(results.flatMap((r) => r.steps.map((s) => s.name)).sort()).toEqual(Object.keys(files).map((f) => f.replace('.sql', '')).sort());
      expect(await db.events()).toHaveLength(8);
    });

    it('reports a lost lock: released by a migration (RELEASE_LOCK gives NULL), or taken by another connection (0)', async () => {
      const name = `sqlmig:${databaseName()}:sqlmig`;
      writeFiles(dir, { '1.sql': `DO RELEASE_LOCK('${name}');\n` });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(LockError);
      expect(error.exitCode).toBe(4);
      expect(error.message).toBe('the migration lock of schema "sqlmig" was lost before the run ended');
      expect(error.hint).toContain('connect sqlmig directly to the server');

      const driver = await db.driver();
      const [mine, other] = [await driver.connect(), await driver.connect()];
      try {
        const lock = driver.lock(mine, 'sqlmig');
        expect(await lock.tryAcquire()).toBe(true);
        expect(await driver.lock(other, 'sqlmig').tryAcquire()).toBe(false);
        expect(await driver.lock(other, 'sqlmig').describeHolder()).toMatch(/^connection \d+, user \S+@\S+, idle for \d+ s$/);
        await mine.query('DO RELEASE_LOCK(?)', [name]);
        expect(await driver.lock(other, 'sqlmig').tryAcquire()).toBe(true);
        expect(await lock.release()).toBe(false);
      } finally {
        await mine.close();
        await other.close();
      }
    });

    it('names its history tables after --schema, in the target database', async () => {
      writeFiles(dir, { '1.sql': 'CREATE TABLE t (id INT);\n' });
      await (await migrator({ schema: 'other' })).up();
      const names = await db.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1');
      expect(names.map((r) => r.t)).toEqual(['other_events', 'other_history_version', 'other_migrations', 't']);
      const [row] = await db.query<Record<string, unknown>>('SELECT * FROM other_migrations');
      expect(row).toMatchObject({ name: '1', seq: 1, requires: '[]', transactional: 1, status: 'applied', applied_by: expect.stringMatching(/@/) });
      expect(await db.query('SELECT version FROM other_history_version')).toEqual([{ version: 1 }]);
    });

    it('verifies round trips on temporary databases it drops afterwards; without a server it is a usage error', async () => {
      writeFiles(dir, {
        '1_users.sql': 'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100));\nCREATE INDEX users_email ON users (email);\n-- revert:\nDROP TABLE users;\n',
        '2_count.sql': '-- requires: 1_users\nCREATE FUNCTION user_count() RETURNS INT READS SQL DATA\nBEGIN\n  RETURN (SELECT COUNT(*) FROM users);\nEND;\n'
          + '-- revert:\nDROP FUNCTION user_count;\n',
        '3_name.sql': '-- requires: 1_users\nALTER TABLE users ADD COLUMN name VARCHAR(50);\nCREATE INDEX users_name ON users (name);\n'
          + '-- revert:\nALTER TABLE users DROP COLUMN name;\n',
        '4_seed.sql': "-- requires: 1_users\nINSERT INTO users (id, email) VALUES (1, 'a@example.com');\n-- revert:\nDELETE FROM users;\n",
      });
      const project = await loadProject(dir, MYSQL);
      const scratches = () => count(`SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name LIKE 'sqlmig!_verify!_${process.pid}!_%' ESCAPE '!'`);
      const report = await verifyProject(project, { db: mysqlUrlOf() });
      expect(report.scratch).toMatch(/^temporary databases on mysql:\/\/root@127\.0\.0\.1:3306\//);
      expect(report.results.map((r) => `${r.name}:${r.status}${r.error ? ` ${r.error.message}` : ''}`)).toEqual(['1_users:ok', '2_count:ok', '3_name:ok', '4_seed:ok']);
      // Where DDL cannot be rolled back the round trip deploys again after comparing: a revert that leaves a
      // difference the deploy does not trip over is reported, and the files after it are still checked.
      writeFiles(dir, {
        '3_name.sql': '-- requires: 1_users\nALTER TABLE users MODIFY email VARCHAR(200);\n-- revert:\nALTER TABLE users MODIFY email VARCHAR(100) NOT NULL;\n',
        // The revert brings back the function's body, but with a parameter it did not have.
        '5_count.sql': '-- requires: 2_count\nDROP FUNCTION user_count;\nCREATE FUNCTION user_count() RETURNS INT READS SQL DATA RETURN 0;\n'
          + '-- revert:\nDROP FUNCTION user_count;\n'
          + 'CREATE FUNCTION user_count(unused INT) RETURNS INT READS SQL DATA\nBEGIN\n  RETURN (SELECT COUNT(*) FROM users);\nEND;\n',
      });
      const broken = await verifyProject(await loadProject(dir, MYSQL), { db: mysqlUrlOf() });
      expect(broken.results.map((r) => `${r.name}:${r.status}`)).toEqual([
        '1_users:ok', '2_count:ok', '3_name:revert-incomplete', '4_seed:ok', '5_count:revert-incomplete',
      ]);
      expect(broken.results[2].differences!.map(describeDifference)).toEqual([
        'column users.email: changed after revert (was nullable=YES | default=NULL; now nullable=NO | default=none)',
      ]);
      expect(broken.results[4].differences!.map(describeDifference)).toEqual(['function user_count: changed after revert (was parameters=; now parameters=IN unused int(11))']);
      const isolated = await verifyProject(await loadProject(dir, MYSQL), { db: mysqlUrlOf(), isolation: true });
      expect(isolated.results.every((r) => r.status === 'ok')).toBe(true);
      expect(await scratches()).toBe(0);
      await expect(verifyProject(project)).rejects.toBeInstanceOf(UsageError);
    });

    it('drops the scratch databases a killed run left (nobody connected, over an hour old), naming them', async () => {
      writeFiles(dir, { '1.sql': 'CREATE TABLE a (id INT);\n-- revert:\nDROP TABLE a;\n' });
      const made = (msAgo: number, n: number) => `sqlmig_verify_1_${(Date.now() - msAgo).toString(36)}_${n}`;
      const [old, recent, held] = [made(2 * 3_600_000, 0), made(60_000, 1), made(2 * 3_600_000, 2)];
      const admin = await mysqlConnection();
      for (const name of [old, recent, held]) await admin.query(`CREATE DATABASE \`${name}\``);
      const holder = await mysqlConnection(held);
      try {
        const warnings: string[] = [];
        const report = await verifyProject(await loadProject(dir, MYSQL), { db: mysqlUrlOf(), onWarning: (w) => warnings.push(w) });
        expect(report.ok).toBe(true);
        expect(warnings.join('\n')).toMatch(new RegExp(`^dropped \\d+ scratch databases? left by verify runs that were killed: .*${old}`, 'm'));
        expect(warnings.join('\n')).not.toContain(recent);
        const [rows] = await admin.query('SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name IN (?, ?, ?)', [old, recent, held]);
        expect((rows as { name: string }[]).map((r) => r.name).sort()).toEqual([recent, held].sort());
      } finally {
        await holder.end();
        for (const name of [recent, held]) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      }
    });
  });
});
