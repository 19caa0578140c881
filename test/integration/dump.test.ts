// sqlmig dump: the dump of a migrated database loads into an empty one, which then dumps to the same text and has the
// same snapshot verify compares — on PostgreSQL, PGlite and SQLite, for the example projects and a project of every object kind.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Migrator } from '../../src/index.js';
import { freshPglite, freshPostgres, freshSqliteMemory, postgresUrl, type TestDatabase } from '../helpers/databases.js';

const folder = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The dump without its footer (the applied migrations), which only the migrated database has. */
const statementsOf = (sql: string) => sql.slice(0, sql.indexOf('-- Applied migrations'));

async function roundTrip(fresh: () => Promise<TestDatabase>, dir: string, opened: TestDatabase[]) {
  const [source, target] = [await fresh(), await fresh()];
  opened.push(source, target);
  const migrator = new Migrator({ dir, driver: await source.driver() });
  await migrator.up();
  const dumped = await migrator.dump();
  const driver = await target.driver();
  const session = await driver.connect();
  await session.execute(dumped.sql);
  const reloaded = await new Migrator({ dir, driver }).dump();
  const snapshot = async (db: TestDatabase) => {
    const d = await db.driver();
    const s = await d.connect();
    try { return Object.fromEntries(await d.snapshot(s, 'sqlmig')); } finally { await s.close(); }
  };
  await session.close();
  return { dumped, reloaded, before: await snapshot(source), after: await snapshot(target) };
}

const ENGINES = [
  { engine: 'PostgreSQL', fresh: freshPostgres, skip: !postgresUrl, projects: ['migrations-example', 'test/fixtures/dump-rich'] },
  { engine: 'PGlite', fresh: freshPglite, skip: false, projects: ['migrations-example', 'test/fixtures/dump-rich'] },
  { engine: 'SQLite', fresh: freshSqliteMemory, skip: false, projects: ['migrations-example-sqlite'] },
];

for (const { engine, fresh, skip, projects } of ENGINES) {
  describe.skipIf(skip)(`sqlmig dump on ${engine}`, () => {
    const opened: TestDatabase[] = [];
    afterAll(async () => { for (const db of opened) await db.close(); });

    it.each(projects)('%s: loads into an empty database, which dumps the same and has the same snapshot', async (project) => {
      const { dumped, reloaded, before, after } = await roundTrip(fresh, folder(project), opened);
      expect(dumped.skipped).toEqual([]);
      expect(statementsOf(reloaded.sql)).toBe(statementsOf(dumped.sql));
      expect(after).toEqual(before);
      expect(dumped.sql).not.toMatch(/sqlmig\.(migrations|events)|sqlmig_migrations/);
      expect(dumped.sql.endsWith(`-- Applied migrations, in order of application:\n${dumped.applied.map((n) => `--   ${n}\n`).join('')}`)).toBe(true);
      expect(reloaded.sql).toContain('-- Applied migrations: none.');
    });
  });
}
