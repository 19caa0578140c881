import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/graph.js';
import { LINT_RULES } from '../../src/core/lint-rules.js';
import type { Migration } from '../../src/core/migration.js';
import { parseMigration } from '../../src/core/parse.js';
import { lintProject } from '../../src/lint/lint.js';

const enc = new TextEncoder();
function project(files: Record<string, string>) {
  const migrations = Object.entries(files).map(([name, text]) => {
    const r = parseMigration({ path: `db/${name}.sql`, name, bytes: enc.encode(text) });
    if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
    return r.value as Migration;
  });
  return buildGraph(migrations).value!;
}
const BASE = 'CREATE TABLE t (id int PRIMARY KEY, a int, b text);\n-- revert:\nDROP TABLE t;\n';
const rulesOf = async (deploy: string) => {
  const report = await lintProject(project({ base: BASE, m: `-- requires: base\n${deploy}\n-- revert:\n` }));
  return report.findings.map((f) => f.rule);
};

describe('lint rules: each breaking example is found, each safe one is not', () => {
  const cases: [string, string, string][] = [
    ['drop-table', 'DROP TABLE t;', 'DROP VIEW IF EXISTS v;'],
    ['drop-column', 'ALTER TABLE t DROP COLUMN a;', 'ALTER TABLE t ADD COLUMN c text;'],
    ['rename-table', 'ALTER TABLE t RENAME TO t2;', 'CREATE TABLE n (id int); ALTER TABLE n RENAME TO n2;'],
    ['rename-column', 'ALTER TABLE t RENAME COLUMN a TO a2;', 'CREATE VIEW t_v AS SELECT a AS a2 FROM t;'],
    ['alter-column-type', 'ALTER TABLE t ALTER COLUMN a TYPE bigint;', 'ALTER TABLE t ADD COLUMN a_big bigint;'],
    ['set-not-null', 'ALTER TABLE t ALTER COLUMN a SET NOT NULL;', 'ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;'],
    ['add-column-not-null-no-default', 'ALTER TABLE t ADD COLUMN c int NOT NULL;', "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;"],
    ['add-column-volatile-default', 'ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();', 'ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();'],
    ['create-index-not-concurrently', 'CREATE INDEX t_a ON t (a);', 'CREATE TABLE n (id int); CREATE INDEX n_id ON n (id);'],
    ['drop-index-not-concurrently', 'DROP INDEX t_a;', 'DROP INDEX CONCURRENTLY t_a;'],
    ['add-foreign-key-validated', 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES t (id);', 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES t (id) NOT VALID;'],
    ['add-check-validated', 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);', 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;'],
    ['add-unique-constraint', 'ALTER TABLE t ADD CONSTRAINT u UNIQUE (b);', 'ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX t_b_key;'],
    ['truncate', 'TRUNCATE t;', 'DELETE FROM t WHERE a < 0;'],
  ];
  it.each(cases)('%s', async (rule, breaking, safe) => {
    expect(await rulesOf(breaking)).toEqual([rule]);
    expect(await rulesOf(safe)).toEqual([]);
  });

  it('treats serial columns as volatile defaults', async () => {
    expect(await rulesOf('ALTER TABLE t ADD COLUMN n bigserial;')).toEqual(['add-column-volatile-default']);
  });

  it('reports irreversible files, and not files with an empty revert', async () => {
    const r = await lintProject(project({ a: 'SELECT 1;', b: 'SELECT 1;\n-- revert:\n' }));
    expect(r.findings.map((f) => `${f.migration}:${f.rule}`)).toEqual(['a:irreversible']);
  });

  it('reports unordered siblings touching one table and suggests the requires; ordered ones are fine', async () => {
    const r = await lintProject(project({
      base: BASE, x: '-- requires: base\nINSERT INTO t VALUES (1);\n-- revert:\n', y: '-- requires: base\nUPDATE t SET a = 1;\n-- revert:\n',
      z: '-- requires: y\nDELETE FROM t;\n-- revert:\n',
    }));
    expect(r.findings.map((f) => f.message)).toEqual([
      'y and x both touch table t, but nothing orders them (add "-- requires: x" to y)',
      'z and x both touch table t, but nothing orders them (add "-- requires: x" to z)',
    ]);
  });

  it('has a test for every rule', () => {
    const tested = new Set([...cases.map((c) => c[0]), 'irreversible', 'unordered-siblings']);
    expect([...LINT_RULES.keys()].filter((id) => !tested.has(id))).toEqual([]);
  });
});

describe('lint: allow, positions, syntax errors', () => {
  it('moves allowed findings aside', async () => {
    const r = await lintProject(project({ base: BASE, m: '-- requires: base\n-- allow: drop-column\n-- Nobody reads a since v2.\nALTER TABLE t DROP COLUMN a;\nTRUNCATE t;\n-- revert:\n' }));
    expect(r.findings.map((f) => f.rule)).toEqual(['truncate']);
    expect(r.allowed.map((f) => f.rule)).toEqual(['drop-column']);
  });

  it('rejects an unknown rule id in allow as an input error', () => {
    const r = parseMigration({ path: 'x.sql', name: 'x', bytes: enc.encode('-- allow: drop-colum\nSELECT 1;') });
    expect(r.diagnostics).toMatchObject([{ code: 'unknown-rule', hint: 'did you mean "drop-column"?', position: { line: 1, column: 11 } }]);
  });

  it('points at the statement in characters, after multibyte text', async () => {
    const r = await lintProject(project({ base: BASE, m: "-- requires: base\nSELECT '😀é'; /* ü */   ALTER TABLE t DROP COLUMN a;\n-- revert:\n" }));
    expect(r.findings[0].position).toEqual({ path: 'db/m.sql', line: 2, column: 24 });
  });

  it('reports syntax errors at their place, in revert sections too', async () => {
    const r = await lintProject(project({ m: 'SELECT 1;\n-- revert:\nDROP TABL x;\n' }));
    expect(r.syntaxErrors).toMatchObject([{ code: 'syntax-error', position: { line: 3, column: 6 } }]);
  });
});

describe('lint: empty sections', () => {
  it('accepts empty deploy and revert sections', async () => {
    const r = await lintProject(project({ m: '-- placeholder\n-- revert:\n' }));
    expect(r.syntaxErrors).toEqual([]);
    expect(r.findings).toEqual([]);
  });
});
