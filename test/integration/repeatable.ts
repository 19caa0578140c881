// Repeatable files and variables on every engine (DESIGN §2): re-applied when changed, reverted before what they read,
// a failing re-apply leaving the previous version; values substituted, mapped back to the file, never shown or stored.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, MigrationError, Migrator, type MigratorOptions } from '../../src/index.js';
import type { TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { historyRows } from './contract.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\nINSERT INTO ${n} VALUES (1);\n-- revert:\nDROP TABLE ${n};\n`;
/** A view replaced whole, in SQL every engine reads (SQLite has no CREATE OR REPLACE VIEW). */
const view = (version: number, revert = 'DROP VIEW v;') =>
  `-- repeatable: yes\n-- requires: 1_t\nDROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id, ${version} AS version FROM t;\n-- revert:\n${revert}\n`;
/** A migration that reads the view: run twice, it would fail (w exists). */
const reader = '-- requires: 2_v\nCREATE TABLE w (id int);\nINSERT INTO w SELECT id FROM v;\n-- revert:\nDROP TABLE w;\n';
const SECRET = 'Canary-Secret_pw#1';

export interface RepeatableContractOptions {
  /** The engine reports where in a statement an error is (PostgreSQL, PGlite); SQLite points at the statement. */
  positions: boolean;
}

export function runRepeatableContract(name: string, fresh: () => Promise<TestDatabase>, options: RepeatableContractOptions): void {
  describe(`repeatable files and variables: ${name}`, () => {
    let db: TestDatabase;
    let dir: string;
    beforeEach(async () => { db = await fresh(); dir = tempDir(); });
    afterEach(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

    const migrator = async (more: Partial<MigratorOptions> = {}) => new Migrator({ dir, driver: await db.driver(), lockWaitMs: 5_000, ...more });
    const history = async () => (await historyRows(db)).map((r) => `${r.seq}:${r.name}`);
    const version = async () => (await db.query<{ version: number }>('SELECT version FROM v'))[0].version;
    const names = (result: { steps: { name: string; reapply?: boolean }[] }) => result.steps.map((s) => `${s.name}${s.reapply ? ' again' : ''}`);

    it('applies a changed view again at the end of the history, with its latest revert, and never the migration that reads it', async () => {
      writeFiles(dir, { '1_t.sql': table('t'), '2_v.sql': view(1), '3_w.sql': reader });
      const m = await migrator();
      expect(names(await m.up())).toEqual(['1_t', '2_v', '3_w']);
      expect(names(await m.up())).toEqual([]);
      writeFileSync(join(dir, '2_v.sql'), view(2, 'DROP VIEW IF EXISTS v;'));
      expect((await m.status()).migrations.map((s) => `${s.name}:${s.state}${s.changed ? ' (changed)' : ''}`))
        .toEqual(['1_t:applied', '2_v:pending (changed)', '3_w:applied']);
      expect(names(await m.up({ dryRun: true }))).toEqual(['2_v again']);
      expect(names(await m.up())).toEqual(['2_v again']);
      expect(await version()).toBe(2);
      expect(await history()).toEqual(['1:1_t', '3:3_w', '4:2_v']);
      expect((await historyRows(db)).find((r) => r.name === '2_v')!.revertSql).toBe('DROP VIEW IF EXISTS v;\n');
      expect(await db.events()).toEqual(['1_t:deploy', '2_v:deploy', '3_w:deploy', '2_v:deploy']);
      expect(names(await m.up())).toEqual([]);
      // In one run transaction too, like any file (where DDL is transactional: elsewhere a DDL file refuses it).
      writeFileSync(join(dir, '2_v.sql'), view(3));
      writeFiles(dir, { '4_x.sql': table('x') });
      const transactionalDdl = (await db.driver()).capabilities.transactionalDdl;
      expect(names(await m.up({ singleTransaction: transactionalDdl }))).toEqual(['2_v again', '4_x']);
      expect(await version()).toBe(3);
      // Recorded without running, as --log-only records any file.
      writeFileSync(join(dir, '2_v.sql'), view(4));
      expect(names(await m.up({ logOnly: true }))).toEqual(['2_v again']);
      expect(await version()).toBe(3);
      expect((await m.status()).migrations.every((s) => s.state === 'applied')).toBe(true);
    });

    it('reverts the view before the table it reads (down --to, --only) and applies it again on the next up', async () => {
      writeFiles(dir, { '0_base.sql': table('base'), '1_t.sql': table('t'), '2_v.sql': view(1) });
      const m = await migrator();
      await m.up();
      expect(names(await m.down({ to: '0_base' }))).toEqual(['2_v', '1_t']);
      expect(await db.tables()).toEqual(['base']);
      expect(names(await m.up())).toEqual(['1_t', '2_v']);
      expect(await version()).toBe(1);
      // Re-applied, the view is the last application: down --only of the table still takes it first.
      writeFileSync(join(dir, '2_v.sql'), view(2));
      await m.up();
      expect(names(await m.down({ only: '1_t' }))).toEqual(['2_v', '1_t']);
      expect(await db.tables()).toEqual(['base']);
    });

    it('refuses down before anything runs when the view to revert first has no revert section', async () => {
      writeFiles(dir, { '0_base.sql': table('base'), '1_t.sql': table('t'), '2_v.sql': view(1).replace(/-- revert:[^]*$/, '') });
      const m = await migrator();
      await m.up();
      const error = await m.down({ to: '0_base' }).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.diagnostics.map((d: { code: string }) => d.code)).toEqual(['irreversible']);
      expect(await db.tables()).toEqual(expect.arrayContaining(['base', 't']));
      expect(await version()).toBe(1);
    });

    it('rolls back a failing re-apply: the previous version stays, in the database and in the history', async () => {
      writeFiles(dir, { '1_t.sql': table('t'), '2_v.sql': view(1) });
      const m = await migrator();
      await m.up();
      const before = await historyRows(db);
      // The view is dropped and created again, then the third statement fails.
      writeFileSync(join(dir, '2_v.sql'), view(2).replace('-- revert:', 'SELECT nosuch FROM t;\n-- revert:'));
      const error = await m.up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.position).toMatchObject({ path: join(dir, '2_v.sql'), line: 5 });
      if (!(await db.driver()).capabilities.transactionalDdl) {
        // Where DDL commits implicitly (MySQL), the file stops at its failing statement, recorded as such.
        expect((await historyRows(db)).find((r) => r.name === '2_v')).toMatchObject({ status: 'failed', failedStatement: 3 });
        return;
      }
      expect(await version()).toBe(1);
      expect(await historyRows(db)).toEqual(before);
      expect(await db.events()).toEqual(['1_t:deploy', '2_v:deploy', '2_v:fail']);
      expect((await m.status()).migrations.map((s) => `${s.name}:${s.state}`)).toEqual(['1_t:applied', '2_v:pending']);
    });

    it('substitutes variables as written in the file, keeps the revert as written, and reverts with the values', async () => {
      writeFiles(dir, {
        '1_people.sql': '-- vars: tbl, greeting\nCREATE TABLE :"tbl" (id int, note text);\nINSERT INTO :tbl VALUES (1, :\'greeting\');\n'
          + '-- revert:\nDROP TABLE :"tbl";\n',
      });
      const vars = { tbl: 'people', greeting: SECRET };
      const m = await migrator({ vars });
      await m.up();
      expect(await db.query('SELECT note FROM people')).toEqual([{ note: SECRET }]);
      const [row] = await historyRows(db);
      expect(row.revertSql).toBe('-- vars: tbl, greeting\nDROP TABLE :"tbl";\n');
      expect(JSON.stringify(await historyRows(db))).not.toContain(SECRET);
      // The file gone, the stored revert names its variables: they are substituted all the same.
      rmSync(join(dir, '1_people.sql'));
      const missing = await (await migrator()).down({ all: true }).catch((e) => e);
      expect(missing).toBeInstanceOf(InputError);
      expect(missing.diagnostics[0].message).toMatch(/variable "tbl" has no value, and the revert SQL of "1_people"/);
      expect(names(await (await migrator({ vars: { tbl: 'people' } })).down({ all: true }))).toEqual(['1_people']);
      expect(await db.tables()).toEqual([]);
    });

    it('refuses to run, before anything, while a declared variable has no value: every one listed', async () => {
      writeFiles(dir, { '1.sql': '-- vars: a, b\nSELECT :a, :b;\n', '2.sql': '-- vars: a\nSELECT :\'a\';\n' });
      const error = await (await migrator({ vars: { b: '1' } })).up().catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.diagnostics.map((d: { position: { path: string; line: number; column: number } }) => `${d.position.line}:${d.position.column}`))
        .toEqual(['1:10', '1:10']);
      expect(await historyRows(db)).toEqual([]);
    });

    it('points an error at the placeholder in the file and never shows the value, in the error or the history', async () => {
      writeFiles(dir, {
        '1_t.sql': table('t'),
        '2_bad.sql': `-- vars: missing, note\n-- requires: 1_t\nSELECT :'note' AS n FROM t;\nSELECT id, :'note' AS n FROM :"missing";\n`,
      });
      const error = await (await migrator({ vars: { missing: SECRET, note: `${SECRET}!` } })).up().catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.position.line).toBe(4);
      if (options.positions) {
        expect(error.position.column).toBe(30);
        // The frame shows the file as written.
        expect(error.details.codeFrame).toContain('> 4 | SELECT id, :\'note\' AS n FROM :"missing";');
      }
      expect(error.message).toContain(':missing');
      expect(JSON.stringify([error.message, error.details])).not.toContain(SECRET);
      expect((await db.events(undefined, { errors: true })).join('\n')).not.toContain(SECRET);
    });
  });
}
