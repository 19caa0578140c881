// The driver contract: every engine-neutral promise of DESIGN.md, checked through the driver's own history store
// and the neutral probes of TestDatabase. A driver joins with one line: runDriverContract('name', freshDatabase).
// What only one family's SQL can say lives beside it (pg-family.ts; SQLite's own cases in sqlite.test.ts).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError, InputError, MigrationError, Migrator, type HistoryRow, type MigratorOptions } from '../../src/index.js';
import type { TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;

/** The history's rows as the driver's store reads them; none when there is no history yet. */
export async function historyRows(db: TestDatabase, schema = 'sqlmig'): Promise<HistoryRow[]> {
  const driver = await db.driver();
  const session = await driver.connect();
  try {
    const store = driver.history(session, schema);
    return (await store.exists()) ? await store.read() : [];
  } finally {
    await session.close();
  }
}

export function runDriverContract(name: string, fresh: () => Promise<TestDatabase>): void {
  describe(`driver contract: ${name}`, () => {
    let db: TestDatabase;
    let dir: string;
    beforeEach(async () => { db = await fresh(); dir = tempDir(); });
    afterEach(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

    const migrator = async (options: Partial<MigratorOptions> = {}) =>
      new Migrator({ dir, driver: await db.driver(), lockWaitMs: 5_000, ...options });
    const history = async (schema = 'sqlmig') => (await historyRows(db, schema)).map((r) => `${r.name}:${r.status}`);
    const tables = () => db.tables();
    const events = () => db.events();
    const rowCount = async (t: string) => Number((await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
    // The promises that differ where DDL commits implicitly (MySQL) follow the capability, never the engine's name.
    const transactionalDdl = async () => (await db.driver()).capabilities.transactionalDdl;

    it('creates the versioned history on first use and applies in graph order', async () => {
      writeFiles(dir, { '01_b.sql': `-- requires: 02_a\n${table('b')}`, '02_a.sql': table('a'), '03_c.sql': table('c') });
      const before = Date.now();
      const result = await (await migrator()).up();
      expect(result.steps.map((s) => s.name)).toEqual(['02_a', '01_b', '03_c']);
      expect(await history()).toEqual(['02_a:applied', '01_b:applied', '03_c:applied']);
      const rows = await historyRows(db);
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
      const row = rows.find((r) => r.name === '01_b')!;
      expect(row).toMatchObject({
        requires: ['02_a'], revertSql: 'DROP TABLE b;\n', status: 'applied', transactional: true, failedStatement: null, error: null,
      });
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.appliedAt).toBeInstanceOf(Date);
      expect(row.appliedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      expect(row.appliedBy).not.toBe('');
      expect(await events()).toEqual(['02_a:deploy', '01_b:deploy', '03_c:deploy']);
    });

    it('is idempotent: a second up runs nothing and writes nothing', async () => {
      writeFiles(dir, { '1.sql': table('t1'), '2.sql': table('t2') });
      await (await migrator()).up();
      const snapshot = async () => JSON.stringify([await historyRows(db), await events(), await tables(), await db.writeMark()]);
      const before = await snapshot();
      expect((await (await migrator()).up()).steps).toEqual([]);
      expect(await snapshot()).toBe(before);
    });

    it('is atomic: the 3rd of 5 fails, 1-2 stay applied, nothing of the 3rd exists, 4-5 untouched; a fixed rerun completes', async () => {
      // Where DDL commits implicitly (MySQL), a file runs in one transaction with its row only when it holds no DDL: the 3rd is such a file there.
      const ddl = await transactionalDdl();
      writeFiles(dir, {
        '1.sql': 'CREATE TABLE t1 (id int PRIMARY KEY);\n-- revert:\nDROP TABLE t1;\n', '2.sql': table('t2'),
        '3.sql': ddl
          ? 'CREATE TABLE t3 (id int PRIMARY KEY);\nINSERT INTO t3 VALUES (1);\nINSERT INTO t3 VALUES (1);\n-- revert:\nDROP TABLE t3;\n'
          : 'INSERT INTO t2 VALUES (1);\nINSERT INTO t1 VALUES (1);\nINSERT INTO t1 VALUES (1);\n-- revert:\nDELETE FROM t1;\nDELETE FROM t2;\n',
        '4.sql': table('t4'), '5.sql': table('t5'),
      });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      // A runtime error has no position: the statement that raised it is named.
      expect(error.position).toEqual({ path: `${dir}/3.sql`, line: 3, column: 1 });
      expect(error.details).toMatchObject({ migration: '3', section: 'deploy', statement: 3, transactional: true });
      expect(error.details.sqlstate ?? error.details.code).toMatch(/^(23505|23000|SQLITE_CONSTRAINT_PRIMARYKEY)$/);
      expect(await tables()).toEqual(['t1', 't2']);
      expect(await rowCount('t1') + await rowCount('t2')).toBe(0);
      expect(await history()).toEqual(['1:applied', '2:applied']);
      expect(await events()).toEqual(['1:deploy', '2:deploy', '3:fail']);
      writeFileSync(join(dir, '3.sql'), table('t3'));
      expect((await (await migrator()).up()).steps.map((s) => s.name)).toEqual(['3', '4', '5']);
      expect(await tables()).toEqual(['t1', 't2', 't3', 't4', 't5']);
    });

    it('runs a file holding DDL atomically where DDL is transactional; elsewhere, failing at statement 2, it stays failed at 2 until resolve', async () => {
      const ddl = await transactionalDdl();
      const half = 'CREATE TABLE d2 (id int);\nCREATE TABLE d2 (id int);\nCREATE TABLE never (id int);\n-- revert:\nDROP TABLE d2;\n';
      writeFiles(dir, { '1.sql': table('d1'), '2.sql': half, '3.sql': table('d3') });
      const m = await migrator();
      const error = await m.up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details).toMatchObject({ migration: '2', statement: 2, transactional: ddl });
      expect(error.position).toEqual({ path: `${dir}/2.sql`, line: 2, column: 1 });
      expect(await events()).toEqual(['1:deploy', '2:fail']);
      if (ddl) {
        expect(await tables()).toEqual(['d1']);
        expect(await history()).toEqual(['1:applied']);
        return;
      }
      // Statement 1 committed on its own: its table stays, and the row says where the file stopped.
      expect(await tables()).toEqual(['d1', 'd2']);
      expect(await history()).toEqual(['1:applied', '2:failed']);
      expect((await historyRows(db))[1]).toMatchObject({ failedStatement: 2, error: expect.stringMatching(/d2/) });
      const again = await m.up().catch((e) => e);
      expect(again).toBeInstanceOf(IntegrityError);
      expect(again).toMatchObject({ exitCode: 5, code: 'failed-migration' });
      expect(again.message).toMatch(/^"2" failed at statement 2 outside a transaction/);
      expect(await tables()).not.toContain('d3');
      // Repaired by hand (the rest of the file run), then recorded as applied: up goes on.
      await db.query('CREATE TABLE never (id int)');
      await m.resolve('2', 'applied');
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['3']);
      // Or undone by hand and forgotten: the fixed file runs again.
      writeFiles(dir, { '4.sql': 'CREATE TABLE d4 (id int);\nDROP TABLE nosuch;\n-- revert:\nDROP TABLE d4;\n' });
      await expect(m.up()).rejects.toBeInstanceOf(MigrationError);
      expect(await history()).toEqual(['1:applied', '2:applied', '3:applied', '4:failed']);
      await db.query('DROP TABLE d4');
      await m.resolve('4', 'reverted');
      writeFiles(dir, { '4.sql': table('d4') });
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['4']);
      expect(await events()).toEqual(['1:deploy', '2:fail', '2:resolve', '3:deploy', '4:fail', '4:resolve', '4:deploy']);
    });

    it('rolls back a migration whose verify section fails', async () => {
      // Where DDL commits implicitly, a file of DML (on a table made beforehand) is what rolls back whole.
      const ddl = await transactionalDdl();
      if (!ddl) await db.query('CREATE TABLE v (id int)');
      const deploy = ddl ? 'CREATE TABLE v (id int)' : 'INSERT INTO v VALUES (1)';
      writeFiles(dir, { 'v.sql': `${deploy};\n-- verify:\nSELECT nosuch FROM v;\n-- revert:\nDROP TABLE v;\n` });
      const error = await (await migrator()).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.details.section).toBe('verify');
      expect(error.position.line).toBe(3);
      expect(await tables()).toEqual(ddl ? [] : ['v']);
      if (!ddl) expect(await rowCount('v')).toBe(0);
      expect(await history()).toEqual([]);
    });

    it('stores the revert SQL exactly, quotes, backslashes and emoji included', async () => {
      const revert = "DROP TABLE odd; -- it's\nSELECT 'it''s', 'c\\d', '😀';\n";
      writeFiles(dir, { 'o.sql': `CREATE TABLE odd (id int) -- no semicolon, and a comment last\n-- verify:\nSELECT 1 FROM odd\n-- revert:\n${revert}` });
      await (await migrator()).up();
      expect((await historyRows(db)).map((r) => r.revertSql)).toEqual([revert]);
      await (await migrator()).down({ all: true });
      expect(await tables()).toEqual([]);
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
      expect(await tables()).not.toContain('f');
      expect((await (await migrator({ allowDrift: true })).up()).steps.map((s) => s.name)).toEqual(['f']);
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
      expect((await historyRows(db))[0]).toMatchObject({ failedStatement: 2, error: expect.stringMatching(/half/) });
      expect(await tables()).toEqual(['half']);
      const again = await m.up().catch((e) => e);
      expect(again).toBeInstanceOf(IntegrityError);
      expect(again.code).toBe('failed-migration');
      expect(await tables()).not.toContain('later');
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
      const rows = await historyRows(db);
      expect(rows.map((r) => [r.name, r.seq, r.status, r.failedStatement])).toEqual([['0', 1, 'applied', null], ['1', 2, 'applied', null]]);
      expect(rows[1].checksum).toBe((await m.status()).migrations.find((s) => s.name === '1')!.fileChecksum);
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
      expect((await historyRows(db)).map((r) => [r.status, r.failedStatement])).toEqual([['failed', 2]]);
      expect(await tables()).toEqual(['x1']);
    });

    it('puts the history back when the first statement of a transaction: off file fails (nothing ran)', async () => {
      writeFiles(dir, { '1.sql': '-- transaction: off\nCREATE TABLE x1 (id int, id int);\nCREATE TABLE x2 (id int);\n' });
      await expect((await migrator()).up()).rejects.toBeInstanceOf(MigrationError);
      expect(await history()).toEqual([]);
      expect(await events()).toEqual(['1:fail']);
    });

    it('applies all or nothing with --single-transaction, and refuses transaction: off files there', async () => {
      // Where DDL commits implicitly, the files are DML on a table made beforehand, and a file holding DDL is refused.
      const ddl = await transactionalDdl();
      if (!ddl) await db.query('CREATE TABLE s (id int)');
      const step = (n: number) => (ddl ? `CREATE TABLE s${n} (id int);\n` : `INSERT INTO s VALUES (${n});\n`);
      writeFiles(dir, { '1.sql': step(1), '2.sql': step(2), '3.sql': `${step(3)}SELECT nosuch;\n` });
      const m = await migrator();
      await expect(m.up({ singleTransaction: true })).rejects.toBeInstanceOf(MigrationError);
      expect(await tables()).toEqual(ddl ? [] : ['s']);
      if (!ddl) expect(await rowCount('s')).toBe(0);
      expect(await history()).toEqual([]);
      if (!ddl) {
        writeFiles(dir, { '3.sql': table('s3') });
        const refused = await m.up({ singleTransaction: true }).catch((e) => e);
        expect(refused).toBeInstanceOf(InputError);
        expect(refused.diagnostics.map((d: { message: string }) => d.message)).toEqual([
          '"3" holds DDL, which this engine commits implicitly: it cannot run inside --single-transaction',
        ]);
        expect(await history()).toEqual([]);
      }
      writeFiles(dir, { '3.sql': `-- transaction: off\n${step(3)}` });
      const error = await m.up({ singleTransaction: true }).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.diagnostics[0].code).toBe('single-transaction');
    });

    it('changes nothing in a dry run, not even the history', async () => {
      writeFiles(dir, { '1.sql': table('dry') });
      const before = await db.writeMark();
      const result = await (await migrator()).up({ dryRun: true });
      expect(result.steps).toEqual([{ name: '1', action: 'deploy', sql: 'CREATE TABLE dry (id int);\n' }]);
      expect(await tables()).toEqual([]);
      const driver = await db.driver();
      const session = await driver.connect();
      expect(await driver.history(session, 'sqlmig').exists()).toBe(false);
      await session.close();
      expect(await db.writeMark()).toBe(before);
    });

    it('records migrations as applied without running them with logOnly, then applies only the rest', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}`, 'c.sql': `-- requires: b\n${table('c')}` });
      await db.query('CREATE TABLE a (id int)');
      const m = await migrator();
      const result = await m.up({ to: 'a', logOnly: true });
      expect(result.steps).toEqual([{ name: 'a', action: 'deploy', durationMs: 0, logOnly: true }]);
      expect(await history()).toEqual(['a:applied']);
      expect(await events()).toEqual(['a:resolve']);
      const [row] = await historyRows(db);
      expect({ checksum: row.checksum, revertSql: row.revertSql }).toEqual({ checksum: (await m.status()).migrations[0].fileChecksum, revertSql: 'DROP TABLE a;\n' });
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
      expect(await history(hostile)).toEqual(['1:applied']);
      expect(await history()).toEqual([]);
      const other = await (await migrator({ schema: 'other_history', allowDrift: true })).up({ dryRun: true });
      expect(other.steps.map((s) => s.name)).toEqual(['1']);
      expect(await tables()).toEqual(['h1']);
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
