// The driver contract: every promise of DESIGN.md, checked against the database's own state.
// A driver joins with one line: runDriverContract('name', freshDatabase).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError, InputError, LockError, MigrationError, Migrator, type MigratorOptions } from '../../src/index.js';
import type { TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;

export function runDriverContract(name: string, fresh: () => Promise<TestDatabase>): void {
  describe(`driver contract: ${name}`, () => {
    let db: TestDatabase;
    let dir: string;
    beforeEach(async () => { db = await fresh(); dir = tempDir(); });
    afterEach(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

    const migrator = async (options: Partial<MigratorOptions> = {}) =>
      new Migrator({ dir, driver: await db.driver(), lockWaitMs: 5_000, ...options });
    const tables = async () => (await db.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.t);
    const history = async (schema = 'sqlmig') => (await db.query<{ name: string; status: string }>(
      `SELECT name, status FROM "${schema}".migrations ORDER BY seq`)).map((r) => `${r.name}:${r.status}`);
    const events = async () => (await db.query<{ e: string }>(`SELECT name || ':' || action AS e FROM sqlmig.events ORDER BY id`)).map((r) => r.e);
    const relationExists = async (n: string) => (await db.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [n])).length > 0;

    it('creates the versioned history on first use and applies in graph order', async () => {
      writeFiles(dir, { '01_b.sql': `-- requires: 02_a\n${table('b')}`, '02_a.sql': table('a'), '03_c.sql': table('c') });
      const result = await (await migrator()).up();
      expect(result.steps.map((s) => s.name)).toEqual(['02_a', '01_b', '03_c']);
      expect(await history()).toEqual(['02_a:applied', '01_b:applied', '03_c:applied']);
      expect(await db.query('SELECT version FROM sqlmig.history_version')).toEqual([{ version: 1 }]);
      const [row] = await db.query<Record<string, unknown>>(`SELECT * FROM sqlmig.migrations WHERE name = '01_b'`);
      expect(row).toMatchObject({ requires: ['02_a'], revert_sql: 'DROP TABLE b;\n', status: 'applied', transactional: true });
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(await events()).toEqual(['02_a:deploy', '01_b:deploy', '03_c:deploy']);
    });

    it('is idempotent: a second up runs nothing and writes nothing', async () => {
      writeFiles(dir, { '1.sql': table('t1'), '2.sql': table('t2') });
      await (await migrator()).up();
      const snapshot = async () => JSON.stringify([
        await db.query('SELECT * FROM sqlmig.migrations ORDER BY seq'), await db.query('SELECT * FROM sqlmig.events ORDER BY id'),
        await db.query(`SELECT relname, xmin::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1`),
      ]);
      const before = await snapshot();
      expect((await (await migrator()).up()).steps).toEqual([]);
      expect(await snapshot()).toBe(before);
    });

    it('is atomic: the 3rd of 5 fails, 1-2 stay applied, nothing of the 3rd exists, 4-5 untouched; a fixed rerun completes', async () => {
      writeFiles(dir, {
        '1.sql': table('t1'), '2.sql': table('t2'),
        '3.sql': 'CREATE TABLE t3 (id int);\nINSERT INTO t3 VALUES (1);\nSELECT 1/0 FROM t3;\n-- revert:\nDROP TABLE t3;\n',
        '4.sql': table('t4'), '5.sql': table('t5'),
      });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      // A runtime error has no position: the statement that raised it is named.
      expect(error.position).toEqual({ path: `${dir}/3.sql`, line: 3, column: 1 });
      expect(error.details).toMatchObject({ sqlstate: '22012', migration: '3', section: 'deploy' });
      expect(await tables()).toEqual(['t1', 't2']);
      expect(await history()).toEqual(['1:applied', '2:applied']);
      expect(await events()).toEqual(['1:deploy', '2:deploy', '3:fail']);
      writeFileSync(join(dir, '3.sql'), table('t3'));
      expect((await (await migrator()).up()).steps.map((s) => s.name)).toEqual(['3', '4', '5']);
      expect(await tables()).toEqual(['t1', 't2', 't3', 't4', 't5']);
    });

    it('rolls back a migration whose verify section fails', async () => {
      writeFiles(dir, { 'v.sql': 'CREATE TABLE v (id int);\n-- verify:\nSELECT 1/(SELECT count(*) FROM v);\n-- revert:\nDROP TABLE v;\n' });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details.section).toBe('verify');
      expect(error.position.line).toBe(3);
      expect(await relationExists('v')).toBe(false);
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
      expect(await tables()).toEqual([]);
      expect(await history()).toEqual([]);
      expect(await events()).toEqual(['d:fail']);
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

    it('reverts in reverse order of application: --count, --to, --only, --all', async () => {
      writeFiles(dir, {
        'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}`, 'c.sql': `-- requires: b\n${table('c')}`,
        'd.sql': `-- requires: a\n${table('d')}`, 'e.sql': table('e'),
      });
      const m = await migrator();
      await m.up();
      expect((await m.down()).steps.map((s) => s.name)).toEqual(['e']);
      expect((await m.down({ count: 1 })).steps.map((s) => s.name)).toEqual(['d']);
      await m.up();
      expect((await m.down({ to: 'b' })).steps.map((s) => s.name)).toEqual(['e', 'd', 'c']);
      expect(await tables()).toEqual(['a', 'b']);
      await m.up();
      // History order now: a, b, c, d, e (c, d, e re-applied in name order).
      expect((await m.down({ only: 'b' })).steps.map((s) => s.name)).toEqual(['c', 'b']);
      expect(await tables()).toEqual(['a', 'd', 'e']);
      expect((await m.down({ all: true })).steps.map((s) => s.name)).toEqual(['e', 'd', 'a']);
      expect(await tables()).toEqual([]);
      expect(await history()).toEqual([]);
    });

    it('reverts an applied file that was deleted, from the SQL stored at apply time', async () => {
      writeFiles(dir, { 'keep.sql': table('keep'), 'gone.sql': table('gone') });
      const m = await migrator();
      await m.up();
      rmSync(join(dir, 'gone.sql'));
      await expect(m.up()).rejects.toBeInstanceOf(IntegrityError);
      expect((await m.down({ only: 'gone' })).steps.map((s) => s.name)).toEqual(['gone']);
      expect(await tables()).toEqual(['keep']);
    });

    it('refuses to cross an irreversible migration before reverting anything', async () => {
      writeFiles(dir, { '1.sql': 'CREATE TABLE one (id int);\n', '2.sql': table('two') });
      const m = await migrator();
      await m.up();
      const error = await m.down({ all: true }).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.diagnostics[0].code).toBe('irreversible');
      expect(await tables()).toEqual(['one', 'two']);
    });

    it('stops up on drift (exit 5) naming both checksums, but not for an edited revert section', async () => {
      writeFiles(dir, { 'd.sql': table('d') });
      const m = await migrator();
      await m.up();
      writeFileSync(join(dir, 'd.sql'), 'CREATE TABLE d (id int);\n-- revert:\nDROP TABLE IF EXISTS d;\n');
      writeFiles(dir, { 'e.sql': table('e') });
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['e']);
      writeFileSync(join(dir, 'd.sql'), 'CREATE TABLE d (id bigint);\n-- revert:\nDROP TABLE d;\n');
      writeFiles(dir, { 'f.sql': table('f') });
      const error = await m.up().catch((e) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error.exitCode).toBe(5);
      expect(error.message).toMatch(/"d" was edited after it was applied \(applied [0-9a-f]{12}, file now [0-9a-f]{12}\)/);
      expect(await relationExists('f')).toBe(false);
      expect((await (await migrator({ allowDrift: true })).up()).steps.map((s) => s.name)).toEqual(['f']);
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

    it('records a transaction: off file failing at its 2nd statement as failed; runs stop (exit 5) until resolve', async () => {
      writeFiles(dir, {
        '1.sql': '-- transaction: off\nCREATE TABLE half (id int);\nCREATE TABLE half (id int);\nCREATE TABLE never (id int);\n-- revert:\nDROP TABLE half;\n',
        '2.sql': table('later'),
      });
      const m = await migrator();
      const error = await m.up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details.statement).toBe(2);
      expect(error.position.line).toBe(3);
      expect(await history()).toEqual(['1:failed']);
      expect(await tables()).toEqual(['half']);
      const again = await m.up().catch((e) => e);
      expect(again).toBeInstanceOf(IntegrityError);
      expect(again.code).toBe('failed-migration');
      expect(await relationExists('later')).toBe(false);
      await db.query('DROP TABLE half');
      await m.resolve('1', 'reverted');
      writeFileSync(join(dir, '1.sql'), '-- transaction: off\nCREATE TABLE half (id int);\n-- revert:\nDROP TABLE half;\n');
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['1', '2']);
    });

    it('resolves a failed transaction: off file as applied in its place: seq kept, the file\'s checksum taken', async () => {
      writeFiles(dir, {
        '0.sql': table('first'),
        '1.sql': '-- transaction: off\nCREATE TABLE half (id int);\nCREATE TABLE half (id int);\n-- revert:\nDROP TABLE half;\n',
        '2.sql': `-- requires: 1\n${table('after_resolve')}`,
      });
      const m = await migrator();
      await expect(m.up()).rejects.toBeInstanceOf(MigrationError);
      writeFileSync(join(dir, '1.sql'), '-- transaction: off\nCREATE TABLE half (id int);\n-- revert:\nDROP TABLE half;\n');
      await m.resolve('1', 'applied');
      const rows = await db.query<{ name: string; seq: string; status: string; failed_statement: number | null }>(
        'SELECT name, seq, status, failed_statement FROM sqlmig.migrations ORDER BY seq');
      expect(rows.map((r) => [r.name, Number(r.seq), r.status, r.failed_statement])).toEqual([['0', 1, 'applied', null], ['1', 2, 'applied', null]]);
      expect((await m.status()).migrations.map((s) => `${s.name}:${s.state}`)).toEqual(['0:applied', '1:applied', '2:pending']);
      // A pending file has nothing to resolve: the hint names the command that records it.
      await expect(m.resolve('2', 'applied')).rejects.toMatchObject({ hint: expect.stringContaining('sqlmig up --log-only --to 2') });
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['2']);
      expect(await events()).toEqual(['0:deploy', '1:fail', '1:resolve', '2:deploy']);
      await expect(m.resolve('1', 'applied')).rejects.toThrow('already applied');
    });

    it('records a transaction: off revert failing midway from the stored SQL (file gone) as failed', async () => {
      writeFiles(dir, { '1.sql': '-- transaction: off\nCREATE TABLE x1 (id int);\nCREATE TABLE x2 (id int);\n-- revert:\nDROP TABLE x2;\nDROP TABLE not_there;\nDROP TABLE x1;\n' });
      const m = await migrator({ allowDrift: true });
      await m.up();
      rmSync(join(dir, '1.sql'));
      const error = await m.down().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details).toMatchObject({ statement: 2, section: 'revert' });
      expect(await db.query('SELECT status, failed_statement FROM sqlmig.migrations')).toEqual([{ status: 'failed', failed_statement: 2 }]);
      expect(await tables()).toEqual(['x1']);
    });

    it('puts the history back when the first statement of a transaction: off file fails (nothing ran)', async () => {
      writeFiles(dir, { '1.sql': '-- transaction: off\nCREATE TABLE x1 (id int, id int);\nCREATE TABLE x2 (id int);\n' });
      await expect((await migrator()).up()).rejects.toBeInstanceOf(MigrationError);
      expect(await history()).toEqual([]);
      expect(await events()).toEqual(['1:fail']);
    });

    it('applies all or nothing with --single-transaction, and refuses transaction: off files there', async () => {
      writeFiles(dir, { '1.sql': table('s1'), '2.sql': table('s2'), '3.sql': 'CREATE TABLE s3 (id int);\nSELECT nosuch;\n' });
      const m = await migrator();
      await expect(m.up({ singleTransaction: true })).rejects.toBeInstanceOf(MigrationError);
      expect(await tables()).toEqual([]);
      expect(await history()).toEqual([]);
      writeFiles(dir, { '3.sql': '-- transaction: off\nCREATE TABLE s3 (id int);\n' });
      const error = await m.up({ singleTransaction: true }).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.diagnostics[0].code).toBe('single-transaction');
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

    it('changes nothing in a dry run, not even the history', async () => {
      writeFiles(dir, { '1.sql': table('dry') });
      const result = await (await migrator()).up({ dryRun: true });
      expect(result.steps).toEqual([{ name: '1', action: 'deploy', sql: 'CREATE TABLE dry (id int);\n' }]);
      expect(await relationExists('dry')).toBe(false);
      expect(await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'sqlmig'`)).toEqual([]);
    });

    it('records migrations as applied without running them with logOnly, then applies only the rest', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}`, 'c.sql': `-- requires: b\n${table('c')}` });
      await db.query('CREATE TABLE a (id int)');
      const m = await migrator();
      const result = await m.up({ to: 'a', logOnly: true });
      expect(result.steps).toEqual([{ name: 'a', action: 'deploy', durationMs: 0, logOnly: true }]);
      expect(await history()).toEqual(['a:applied']);
      expect(await events()).toEqual(['a:resolve']);
      const [row] = await db.query<{ checksum: string; revert_sql: string }>('SELECT checksum, revert_sql FROM sqlmig.migrations');
      expect(row).toEqual({ checksum: (await m.status()).migrations[0].fileChecksum, revert_sql: 'DROP TABLE a;\n' });
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['b', 'c']);
      expect(await tables()).toEqual(['a', 'b', 'c']);
      expect((await m.up({ logOnly: true })).steps).toEqual([]);
    });

    it('applies only NAME and what it requires with --to', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}`, 'c.sql': table('c') });
      expect((await (await migrator()).up({ to: 'b' })).steps.map((s) => s.name)).toEqual(['a', 'b']);
      expect(await tables()).toEqual(['a', 'b']);
    });

    it('keeps histories in different schemas apart, with a quoted hostile schema name', async () => {
      writeFiles(dir, { '1.sql': table('h1') });
      const hostile = 'x"; DROP TABLE h1; --';
      await (await migrator({ schema: hostile })).up();
      expect(await history(hostile.replace(/"/g, '""'))).toEqual(['1:applied']);
      const other = await (await migrator({ schema: 'other_history', allowDrift: true })).up({ dryRun: true });
      expect(other.steps.map((s) => s.name)).toEqual(['1']);
      expect(await relationExists('h1')).toBe(true);
    });

    it('reports each state in status', async () => {
      writeFiles(dir, { '1.sql': table('s1'), '2.sql': `-- requires: 1\n${table('s2')}`, '3.sql': table('s3') });
      const m = await migrator();
      await m.up({ to: '2' });
      writeFileSync(join(dir, '1.sql'), table('s1_changed'));
      rmSync(join(dir, '2.sql'));
      const { migrations } = await m.status();
      expect(migrations.map((s) => `${s.name}:${s.state}`)).toEqual(['1:drifted', '3:pending', '2:missing']);
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
