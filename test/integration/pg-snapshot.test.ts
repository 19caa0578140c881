// Snapshots that list only what changed since an earlier one: after each kind of change a file or its
// revert can make, the same as listing every object, on PostgreSQL and PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, Session, SnapshotBase } from '../../src/drivers/driver.js';
import { pgSnapshotListingAll } from '../../src/drivers/pg-snapshot.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { freshPglite, freshPostgres, type TestDatabase } from '../helpers/databases.js';

const BASE = `
CREATE SCHEMA sqlmig;
CREATE SCHEMA app;
CREATE TABLE app.t (id int PRIMARY KEY, a text, b int DEFAULT 1, c text);
COMMENT ON COLUMN app.t.a IS 'the a';
CREATE FUNCTION app.f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
CREATE SCHEMA doomed;
CREATE TABLE doomed.d (id int, note text);
CREATE VIEW doomed.v AS SELECT id FROM doomed.d;
CREATE FUNCTION doomed.g() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;`;

/** name -> [deploy, revert]: each run as verify's round trip runs a file, in one database, one after another. */
const FILES: Record<string, [string, string]> = {
  'a revert drops what the deploy never created': ['CREATE TABLE app.n (id int)', 'DROP TABLE app.n; DROP FUNCTION app.f(int)'],
  'a column dropped and added again': ['ALTER TABLE app.t DROP COLUMN b', 'ALTER TABLE app.t ADD COLUMN b int DEFAULT 1'],
  'a table renamed and renamed back': ['ALTER TABLE app.t RENAME TO t2', 'ALTER TABLE app.t2 RENAME TO t'],
  'a column renamed and renamed back': ['ALTER TABLE app.t RENAME COLUMN c TO c2', 'ALTER TABLE app.t RENAME COLUMN c2 TO c'],
  'a grant, a row-level security flag and a comment changed by the revert only': ['SELECT 1',
    "GRANT SELECT ON app.t TO PUBLIC; ALTER TABLE app.t ENABLE ROW LEVEL SECURITY; COMMENT ON TABLE app.t IS 'now'; COMMENT ON COLUMN app.t.a IS NULL"],
  'a function body changed by the revert': ['SELECT 1', 'CREATE OR REPLACE FUNCTION app.f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 1 $$'],
  'an enum label added by the revert': ['SELECT 1', "ALTER TYPE app.mood ADD VALUE 'glad'"],
  'a type renamed by the deploy': ['ALTER TYPE app.mood RENAME TO feeling', 'ALTER TYPE app.feeling RENAME TO mood'],
  'a default replaced and dropped': ["ALTER TABLE app.t ALTER COLUMN b SET DEFAULT 2", 'ALTER TABLE app.t ALTER COLUMN b DROP DEFAULT'],
  'objects in a schema the revert drops': ['CREATE TABLE doomed.e (id int)', 'DROP SCHEMA doomed CASCADE'],
  'a schema renamed': ['ALTER SCHEMA app RENAME TO application', 'ALTER SCHEMA application RENAME TO app'],
  'an index and a policy dropped by the deploy': ['CREATE INDEX t_a ON app.t (a); CREATE POLICY p ON app.t USING (true)', 'DROP POLICY p ON app.t; DROP INDEX app.t_a'],
};

describe.each([
  ['PostgreSQL', () => freshPostgres()],
  ['PGlite', () => freshPglite()],
])('snapshots on %s', (_engine, fresh) => {
  let db: TestDatabase;
  let driver: Driver;
  let session: Session;

  beforeAll(async () => {
    db = await fresh();
    driver = await db.driver();
    session = await driver.connect();
    await session.execute(BASE);
    await driver.prepareSnapshots!(session, 'sqlmig');
  });
  afterAll(async () => {
    await session.close();
    await db.close();
  });

  /** A snapshot as verify takes it, checked against every object listed anew. */
  const snapshot = async (base?: SnapshotBase): Promise<Snapshot> => {
    const taken = await driver.snapshot(session, 'sqlmig', base);
    expect(taken).toEqual(await pgSnapshotListingAll(session, 'sqlmig'));
    return taken;
  };

  it.each(Object.entries(FILES))('lists what %s changed as a full listing would', async (_name, [deploy, revert]) => {
    // Each file in a transaction rolled back at the end, so that the next starts from BASE again.
    await session.execute('BEGIN');
    const start = await snapshot();
    // The round trip: the schema as the last snapshot saw it, deploy, snapshot, savepoint, revert, snapshot, back to the deploy.
    await session.execute('SAVEPOINT file');
    const before = await snapshot({ of: start, since: 'unchanged' });
    await session.execute(deploy);
    const deployed = await snapshot({ of: before, since: 'this transaction' });
    await session.execute('SAVEPOINT reverted');
    await session.execute(revert);
    await snapshot({ of: deployed, since: 'this transaction' });
    await session.execute('ROLLBACK TO SAVEPOINT reverted');
    await session.execute('RELEASE SAVEPOINT file');
    // Without a base: what changed since the session's last snapshot (the revert, rolled back).
    expect(await snapshot()).toEqual(deployed);
    await session.execute('ROLLBACK');
    expect(await snapshot()).toEqual(start);
  });
});
