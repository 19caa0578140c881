// verify on a chain of files, each snapshot built on the one before: what reverts change after
// renames, dropped schemas and changes the revert alone makes is reported as a full listing would.
import { describe, expect, it } from 'vitest';
import { describeDifference, loadProject, verifyProject, type VerifyReport } from '../../src/index.js';
import { postgresUrl } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

/** name -> [deploy, revert]: each file requires the one before. */
const CHAIN: [string, string, string][] = [
  ['001_base', `CREATE SCHEMA app;
CREATE TABLE app.t (id int PRIMARY KEY, a text, b int, c text);
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE SCHEMA doomed;
CREATE TABLE doomed.d (id int);
CREATE VIEW doomed.v AS SELECT id FROM doomed.d;`, ''],
  // The deploy stays (the revert is rolled back): app.t is app.u, with a column a2, from here on.
  ['002_renamed_back', 'ALTER TABLE app.t RENAME TO u; ALTER TABLE app.u RENAME COLUMN a TO a2;',
    'ALTER TABLE app.u RENAME COLUMN a2 TO a; ALTER TABLE app.u RENAME TO t;'],
  ['003_renamed_for_good', 'ALTER TABLE app.u RENAME COLUMN c TO c2;', 'SELECT 1;'],
  ['004_drops_a_schema', 'CREATE TABLE doomed.e (id int);', 'DROP SCHEMA doomed CASCADE;'],
  ['005_grant_only', 'SELECT 1;', 'GRANT SELECT ON app.u TO PUBLIC;'],
  ['006_rls_only', 'SELECT 1;', 'ALTER TABLE app.u ENABLE ROW LEVEL SECURITY;'],
  ['007_comment_only', 'SELECT 1;', "COMMENT ON TABLE app.u IS 'the t';"],
  ['008_body_only', 'SELECT 1;', 'CREATE OR REPLACE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;'],
  ['009_column_added_again', 'ALTER TABLE app.u DROP COLUMN b;', 'ALTER TABLE app.u ADD COLUMN b int;'],
  ['010_drops_what_it_did_not_create', 'CREATE TABLE app.n (id int);', 'DROP TABLE app.n; DROP FUNCTION app.f();'],
  ['011_fine', 'ALTER TABLE app.u ADD COLUMN d int;', 'ALTER TABLE app.u DROP COLUMN d;'],
];

function project(): string {
  return writeFiles(tempDir(), Object.fromEntries(CHAIN.map(([name, deploy, revert], i) => [`${name}.sql`,
    `${i > 0 ? `-- requires: ${CHAIN[i - 1][0]}\n` : ''}${deploy}\n${revert ? `-- revert:\n${revert}\n` : ''}`])));
}

function messages(report: VerifyReport): Record<string, string[]> {
  return Object.fromEntries(report.results.map((r) => [r.name, [r.status, ...(r.differences ?? []).map(describeDifference)]]));
}

const EXPECTED: Record<string, string[]> = {
  '001_base': ['irreversible'],
  '002_renamed_back': ['ok'],
  '003_renamed_for_good': ['revert-incomplete', 'column app.u.c: missing after revert (the revert dropped something the deploy did not create)',
    'column app.u.c2: still present after revert'],
  '004_drops_a_schema': ['revert-incomplete', 'column doomed.d.id: missing after revert (the revert dropped something the deploy did not create)',
    'column doomed.v.id: missing after revert (the revert dropped something the deploy did not create)',
    'schema doomed: missing after revert (the revert dropped something the deploy did not create)',
    'table doomed.d: missing after revert (the revert dropped something the deploy did not create)',
    'view doomed.v: missing after revert (the revert dropped something the deploy did not create)'],
  '005_grant_only': ['revert-incomplete'],
  '006_rls_only': ['revert-incomplete', 'table app.u: changed after revert (was rls=false; now rls=true)'],
  '007_comment_only': ['cosmetic'],
  '008_body_only': ['revert-incomplete', 'function app.f(): changed after revert (was body= SELECT 1 ; now body= SELECT 2 )'],
  '009_column_added_again': ['cosmetic'],
  '010_drops_what_it_did_not_create': ['revert-incomplete', 'function app.f(): missing after revert (the revert dropped something the deploy did not create)'],
  '011_fine': ['ok'],
};

describe('verify: snapshots that follow each other', () => {
  const check = (report: VerifyReport) => {
    const found = messages(report);
    for (const [name, expected] of Object.entries(EXPECTED)) {
      if (expected.length === 1 && expected[0] !== 'ok' && expected[0] !== 'irreversible') expect(found[name][0], name).toBe(expected[0]);
      else expect(found[name], name).toEqual(expected);
    }
    expect(found['005_grant_only'].slice(1).join()).toMatch(/^table app\.u: changed after revert \(was —; now acl=/);
    expect(found['007_comment_only']).toHaveLength(2);
    expect(found['009_column_added_again'].slice(1)).toEqual(['column app.u.b: changed after revert (was position=3; now position=4)',
      'column app.u.c2: changed after revert (was position=4; now position=3)']);
  };

  it('reports what each revert changed, on PGlite', async () => {
    check(await verifyProject(await loadProject(project())));
  });

  it.skipIf(!postgresUrl)('and on PostgreSQL', async () => {
    check(await verifyProject(await loadProject(project()), { db: postgresUrl! }));
  });
});
