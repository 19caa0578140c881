// Drift against a real history: legacy checksums upgraded in place, requires added after apply, resolve --accept and --renamed-to.
// A driver joins with one line: runDriftContract('name', freshDatabase).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { legacyChecksum } from '../../src/core/checksum.js';
import { IntegrityError, loadProject, Migrator, UsageError, type HistoryRow, type MigratorOptions } from '../../src/index.js';
import type { TestDatabase } from '../helpers/databases.js';
import { historyRows } from './contract.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;

export function runDriftContract(name: string, fresh: () => Promise<TestDatabase>): void {
  describe(`drift contract: ${name}`, () => {
    let db: TestDatabase;
    let dir: string;
    beforeEach(async () => { db = await fresh(); dir = tempDir(); });
    afterEach(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

    const migrator = async (options: Partial<MigratorOptions> = {}) =>
      new Migrator({ dir, driver: await db.driver(), lockWaitMs: 5_000, ...options });
    /** The history as the driver's store reads it (no engine's SQL here). */
    const rows = (): Promise<HistoryRow[]> => historyRows(db);
    const row = async (n: string) => (await rows()).find((r) => r.name === n);
    const events = () => db.events('sqlmig', { errors: true });
    /** What each file's row would hold had an earlier release applied it. */
    const storeLegacyChecksums = async () => {
      const project = await loadProject(dir);
      const driver = await db.driver();
      const session = await driver.connect();
      try {
        const store = driver.history(session, 'sqlmig');
        for (const r of await store.read()) {
          const m = project.byName.get(r.name)!;
          await store.update(r.name, { checksum: legacyChecksum(r.requires, m.transactional, m.deploy.sql) });
        }
      } finally {
        await session.close();
      }
    };

    it('upgrades a legacy checksum in place: status reads it as applied, up rewrites it quietly', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}` });
      const m = await migrator();
      await m.up();
      await storeLegacyChecksums();
      const legacy = (await rows()).map((r) => r.checksum);
      const today = (await m.status()).migrations.map((s) => s.fileChecksum);
      expect(legacy).not.toEqual(today);
      // A comment edited at the same time changes nothing.
      writeFiles(dir, { 'a.sql': `-- the a table\n${table('a')}`, 'c.sql': table('c') });
      expect((await m.status()).migrations.map((s) => `${s.name}:${s.state}`)).toEqual(['a:applied', 'b:applied', 'c:pending']);
      expect((await rows()).map((r) => r.checksum)).toEqual(legacy);
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['c']);
      expect((await rows()).map((r) => r.checksum)).toEqual([...today, (await m.status()).migrations[2].fileChecksum]);
      expect(await events()).toEqual(['a:deploy', 'b:deploy', 'c:deploy']);
    });

    it('takes a requires line the history satisfies: up works and the row records it', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': table('b') });
      const m = await migrator();
      await m.up();
      // What lint's unordered-siblings advice says to do.
      writeFiles(dir, { 'b.sql': `-- requires: a\n${table('b')}`, 'c.sql': table('c') });
      expect((await m.status()).migrations.map((s) => s.state)).toEqual(['applied', 'applied', 'pending']);
      expect((await row('b'))!.requires).toEqual([]);
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['c']);
      expect((await row('b'))!.requires).toEqual(['a']);
      expect(await events()).toEqual(['a:deploy', 'b:deploy', 'c:deploy']);
    });

    it('stops up on a requires the history contradicts, naming it; resolve --accept records it', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': table('b') });
      const m = await migrator();
      await m.up({ to: 'b' });
      await m.up();
      writeFiles(dir, { 'b.sql': `-- requires: a\n${table('b')}`, 'c.sql': table('c') });
      const error = await m.up().catch((e) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error.exitCode).toBe(5);
      expect(error.message).toBe('"b" requires "a", which the history applied after it');
      expect(error.diagnostics[0].position).toMatchObject({ line: 1, column: 14 });
      const result = await m.resolve('b', 'accepted');
      expect(result).toMatchObject({ name: 'b', as: 'accepted', changed: true });
      expect((await row('b'))!.requires).toEqual(['a']);
      expect((await m.up()).steps.map((s) => s.name)).toEqual(['c']);
    });

    it('resolve --accept: the row takes the file as it is now, in its place, with an event naming both checksums', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': table('b') });
      const m = await migrator();
      await m.up();
      const before = (await row('a'))!;
      writeFileSync(join(dir, 'a.sql'), 'CREATE TABLE a (id int);\nCREATE INDEX ON a (id);\n-- revert:\nDROP TABLE a CASCADE;\n');
      expect(await m.up().catch((e) => e.code)).toBe('drift');
      const result = await m.resolve('a', 'accepted');
      const now = (await m.status()).migrations[0].fileChecksum!;
      expect(result).toEqual({ name: 'a', as: 'accepted', changed: true, checksum: { from: before.checksum, to: now } });
      expect(await row('a')).toMatchObject({ seq: before.seq, checksum: now, revertSql: 'DROP TABLE a CASCADE;\n', status: 'applied' });
      expect((await events()).at(-1)).toBe(`a:resolve:accepted edit: ${before.checksum} -> ${now}`);
      expect((await m.up()).steps).toEqual([]);
      // Nothing left to accept: said, not an error.
      expect(await m.resolve('a', 'accepted')).toEqual({ name: 'a', as: 'accepted', changed: false });
      writeFiles(dir, { 'p.sql': table('p') });
      await expect(m.resolve('p', 'accepted')).rejects.toThrow('"p" is not applied');
      rmSync(join(dir, 'b.sql'));
      const gone = await m.resolve('b', 'accepted').catch((e) => e);
      expect(gone).toBeInstanceOf(UsageError);
      expect(gone.message).toBe('"b" has no file to accept');
    });

    it('follows a rename: status and up say so; resolve --renamed-to moves the row, its seq kept, and requires follow', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': `-- requires: a\n${table('b')}` });
      const m = await migrator();
      await m.up();
      const seq = (await row('a'))!.seq;
      mkdirSync(join(dir, 'core'));
      renameSync(join(dir, 'a.sql'), join(dir, 'core', 'a.sql'));
      writeFiles(dir, { 'b.sql': `-- requires: core/a\n${table('b')}` });
      const { migrations } = await m.status();
      expect(migrations.map((s) => `${s.name}:${s.state}:${s.renamedFrom ?? s.renamedTo ?? ''}`)).toEqual(['core/a:pending:a', 'b:applied:', 'a:missing:core/a']);
      const error = await m.up().catch((e) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error).toMatchObject({ exitCode: 5, code: 'renamed-file' });
      expect(error.diagnostics[0].hint).toContain('sqlmig resolve a --renamed-to core/a');
      await expect(m.resolve('a', { renamedTo: 'core/b' })).rejects.toThrow('unknown migration "core/b"');
      await expect(m.resolve('b', { renamedTo: 'core/a' })).rejects.toThrow('"b" still has its file');
      expect(await m.resolve('a', { renamedTo: 'core/a' })).toEqual({ name: 'a', as: 'renamed', changed: true, renamedTo: 'core/a' });
      expect((await rows()).map((r) => `${r.seq}:${r.name}:${r.requires.join(',')}`)).toEqual([`${seq}:core/a:`, `${seq + 1}:b:core/a`]);
      expect((await events()).at(-1)).toBe('core/a:resolve:renamed from a');
      expect((await m.up()).steps).toEqual([]);
      expect((await m.status()).migrations.map((s) => `${s.name}:${s.state}`)).toEqual(['core/a:applied', 'b:applied']);
    });

    it('HistoryStore.rename: the row takes the new name with everything else kept; other rows\' requires follow', async () => {
      const driver = await db.driver();
      const session = await driver.connect();
      try {
        const store = driver.history(session, 'sqlmig');
        await store.ensure();
        const write = { revertSql: 'SELECT 1;', transactional: true, durationMs: 5, status: 'applied' as const, failedStatement: null, error: null };
        await store.insert({ ...write, name: 'old', checksum: 'c1', requires: [] });
        await store.insert({ ...write, name: 'b', checksum: 'c2', requires: ['old', 'x'] });
        await store.insert({ ...write, name: 'oldish', checksum: 'c3', requires: ['x', 'old'] });
        const [before] = await store.read();
        await store.rename('old', 'new');
        const after = await store.read();
        expect(after.map((r) => `${r.seq}:${r.name}:${r.requires.join(',')}`)).toEqual(['1:new:', '2:b:new,x', '3:oldish:x,new']);
        expect(after[0]).toEqual({ ...before, name: 'new' });
      } finally {
        await session.close();
      }
    });

    it('refuses a rename to a file that does not hold what was applied', async () => {
      writeFiles(dir, { 'a.sql': table('a') });
      const m = await migrator();
      await m.up();
      rmSync(join(dir, 'a.sql'));
      writeFiles(dir, { 'a2.sql': table('a2') });
      const error = await m.resolve('a', { renamedTo: 'a2' }).catch((e) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(/^"a2" does not hold what "a" applied/);
      expect((await rows()).map((r) => r.name)).toEqual(['a']);
    });

    it('returns the drift it allowed as warnings', async () => {
      writeFiles(dir, { 'a.sql': table('a'), 'b.sql': table('b') });
      const m = await migrator({ allowDrift: true });
      await m.up();
      writeFileSync(join(dir, 'a.sql'), table('a').replace('id int', 'id bigint'));
      rmSync(join(dir, 'b.sql'));
      writeFiles(dir, { 'c.sql': table('c') });
      const result = await m.up();
      expect(result.steps.map((s) => s.name)).toEqual(['c']);
      expect(result.warnings.map((w) => `${w.severity}[${w.code}] ${w.message}`)).toEqual([
        expect.stringMatching(/^warning\[drift\] "a" was edited after it was applied/),
        expect.stringMatching(/^warning\[missing-file\] "b" is applied/),
      ]);
    });
  });
}
