import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { POSTGRES, SQLITE } from '../../src/core/dialect.js';
import { sortDiagnostics } from '../../src/core/diagnostic.js';
import { adoptedNames } from '../../src/core/import/adopt.js';
import type { Conversion, ImportFile } from '../../src/core/import/compose.js';
import { flywayChecksum } from '../../src/core/import/flyway-versions.js';
import { IMPORT_TOOLS } from '../../src/core/import/tools.js';
import { parseMigration } from '../../src/core/parse.js';

const files = (entries: Record<string, string | undefined>): ImportFile[] =>
  Object.entries(entries).map(([path, text]) => (text === undefined ? { path } : { path, text }));
const convert = (tool: keyof typeof IMPORT_TOOLS, entries: Record<string, string | undefined>, dialect = POSTGRES) =>
  IMPORT_TOOLS[tool].convert(files(entries), dialect);
const names = (c: Conversion) => c.migrations.map((m) => m.name);
const notes = (c: Conversion) => sortDiagnostics([...c.notes]).map((n) => `${n.severity} ${n.position?.path}:${n.position?.line} ${n.code}`);
const parsed = (c: Conversion, name: string, dialect = POSTGRES) => {
  const m = c.migrations.find((x) => x.name === name)!;
  const result = parseMigration({ path: `${name}.sql`, name, bytes: new TextEncoder().encode(m.text) }, dialect);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.value!;
};
const sectionSql = (sql: string | undefined) => sql?.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('--'));

describe('golang-migrate', () => {
  const c = convert('golang-migrate', {
    '10_later.up.sql': 'SELECT 10;\n', '10_later.down.sql': 'SELECT -10;\n',
    '2_orders.up.sql': 'BEGIN;\nCREATE TABLE o (id int);\nCOMMIT;\n', '2_orders.down.sql': 'BEGIN;\nDROP TABLE o;\nCOMMIT;\n',
    '3_index.up.sql': 'CREATE INDEX CONCURRENTLY o_id ON o (id);\n', '3_index.down.sql': 'DROP INDEX CONCURRENTLY o_id;\n',
    '4_seed.up.sql': 'INSERT INTO o VALUES (1);\n',
    '5_orphan.down.sql': 'SELECT 5;\n',
    'README.md': undefined, 'notes.sql': 'SELECT 0;\n', 'sub/6_deeper.up.sql': 'SELECT 6;\n',
  });

  it('orders versions as numbers, each file requiring the one before', () => {
    expect(names(c)).toEqual(['2_orders', '3_index', '4_seed', '10_later']);
    expect(parsed(c, '10_later').requires.map((r) => r.name)).toEqual(['4_seed']);
    expect(parsed(c, '2_orders').requires).toEqual([]);
    expect(c.migrations.map((m) => m.key)).toEqual(['2', '3', '4', '10']);
  });

  it('drops the BEGIN … COMMIT a script wraps itself in, and puts statements no transaction may hold outside one', () => {
    const orders = parsed(c, '2_orders');
    expect(orders.transactional).toBe(true);
    expect(sectionSql(orders.deploy.sql)).toEqual(['CREATE TABLE o (id int);']);
    expect(sectionSql(orders.revert!.sql)).toEqual(['DROP TABLE o;']);
    expect(parsed(c, '3_index').transactional).toBe(false);
  });

  it('says what needs a human: a missing down, a down alone, a name it does not know', () => {
    expect(notes(c)).toEqual([
      'warning 3_index.up.sql:1 import-outside-transaction',
      'warning 4_seed.up.sql:1 import-no-down',
      'error 5_orphan.down.sql:1 import-down-without-up',
      'warning notes.sql:1 import-ignored',
    ]);
    expect(parsed(c, '4_seed').revert).toBeUndefined();
  });

  it('reads schema_migrations: every version up to the recorded one; a dirty one is an error', () => {
    const history = IMPORT_TOOLS['golang-migrate'].history;
    expect(history.applied([{ version: '3', dirty: false }], c, 'schema_migrations').value).toEqual(['2', '3']);
    expect(history.applied([], c, 'schema_migrations').value).toEqual([]);
    const dirty = history.applied([{ version: 4, dirty: 1 }], c, 'schema_migrations');
    expect(dirty.diagnostics[0].message).toBe('schema_migrations says version 4 is dirty: golang-migrate failed midway through it');
  });
});

describe('dbmate', () => {
  const c = convert('dbmate', {
    '20240102_b.sql': '-- migrate:up\nCREATE TABLE b (id int);\n\n-- migrate:down\nDROP TABLE b;\n',
    '20240101_a.sql': '-- A comment above the marker.\n-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n',
    '20240103_c.sql': '-- migrate:up\nSELECT 1;\n',
    '20240104_d.sql': 'SELECT 0;\n-- migrate:up\nSELECT 1;\n',
    '20240105_e.sql': 'SELECT 1;\n',
    'schema.sql': 'CREATE TABLE dumped (id int);\n',
  });

  it('orders by file name, turns the markers into sections and transaction:false into "transaction: off"', () => {
    expect(names(c)).toEqual(['20240101_a', '20240102_b', '20240103_c']);
    const a = parsed(c, '20240101_a');
    expect(a.transactional).toBe(false);
    expect(sectionSql(a.deploy.sql)).toEqual(['CREATE INDEX CONCURRENTLY i ON t (a);']);
    expect(sectionSql(a.revert!.sql)).toEqual(['DROP INDEX CONCURRENTLY i;']);
    expect(a.text).toContain('-- A comment above the marker.');
    expect(parsed(c, '20240102_b').transactional).toBe(true);
    expect(parsed(c, '20240103_c').revert).toBeUndefined();
    expect(c.migrations.map((m) => m.key)).toEqual(['20240101', '20240102', '20240103']);
  });

  it('refuses what dbmate refuses: SQL before the up marker, no up marker', () => {
    expect(notes(c)).toEqual([
      'warning 20240103_c.sql:1 import-no-down',
      'error 20240104_d.sql:1 import-sql-before-up',
      'error 20240105_e.sql:1 import-no-up',
    ]);
  });
});

describe('goose', () => {
  const c = convert('goose', {
    '00010_view.sql': '-- +goose Up\nCREATE VIEW v AS SELECT 1;\n-- +goose Down\nDROP VIEW v;\n',
    '00002_fn.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION f();\n',
    '00003_backfill.go': undefined,
    '00004_index.sql': '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\n-- +goose ENVSUB ON\nDROP INDEX CONCURRENTLY ${INDEX};\n',
    'helpers_test.go': undefined,
  });

  it('orders versions as numbers, drops statement blocks, and skips Go migrations with a warning', () => {
    expect(names(c)).toEqual(['00002_fn', '00004_index', '00010_view']);
    expect(parsed(c, '00002_fn').deploy.sql).not.toContain('+goose');
    expect(parsed(c, '00004_index').transactional).toBe(false);
    expect(parsed(c, '00004_index').requires.map((r) => r.name)).toEqual(['00002_fn']);
    expect(c.skipped).toEqual([{ key: '3', path: '00003_backfill.go' }]);
    expect(notes(c)).toEqual(['warning 00003_backfill.go:1 import-go-migration', 'warning 00004_index.sql:5 import-envsub']);
  });

  it('reads goose_db_version: the last row of a version says whether it is applied', () => {
    const rows = [[0, true], [2, true], [4, true], [10, true], [10, false]].map(([v, a]) => ({ version_id: v, is_applied: a }));
    expect(IMPORT_TOOLS.goose.history.applied(rows, c, 'goose_db_version').value).toEqual(['2', '4']);
  });
});

describe('sql-migrate', () => {
  it('orders numbered files by number, then the others by name; notransaction turns the transaction off', () => {
    const c = convert('sql-migrate', {
      'seed.sql': '-- +migrate Up\nSELECT 1;\n-- +migrate Down\n',
      '10_c.sql': '-- +migrate Up notransaction\nVACUUM;\n-- +migrate Down\n',
      '2_b.sql': '-- +migrate Up\nSELECT 2;\n',
      'alpha.sql': '-- +migrate Up\nSELECT 3;\n-- +migrate Down\n',
    });
    expect(names(c)).toEqual(['2_b', '10_c', 'alpha', 'seed']);
    expect(c.migrations.map((m) => m.key)).toEqual(['2_b.sql', '10_c.sql', 'alpha.sql', 'seed.sql']);
    expect(parsed(c, '10_c').transactional).toBe(false);
    // An empty Down section is an explicit "nothing to undo".
    expect(parsed(c, 'seed').revert?.sql.trim()).toBe('');
    expect(notes(c)).toEqual(['warning 2_b.sql:1 import-no-down']);
  });
});

describe('Flyway', () => {
  const c = convert('flyway', {
    'db/V1.10__ten.sql': 'SELECT 110;\n', 'db/V1.9__nine.sql': 'SELECT 19;\n', 'db/U1.9__nine.sql': 'SELECT -19;\n',
    'db/V2__two.sql': 'SELECT ${schema};\n', 'db/V2__two.sql.conf': 'executeInTransaction=false\n',
    'db/sub/V1_2__one_two.sql': 'SELECT 12;\n', 'db/V3__Java.java': undefined,
    'db/V1.09__dup.sql': 'SELECT 0;\n',
  });

  it('orders versions part by part as numbers (1.10 after 1.9), names files so they sort that way, and pairs U files', () => {
    expect(names(c)).toEqual(['1.02_one_two', '1.09_dup', '1.10_ten', '2.00_two']);
    expect(c.migrations.map((m) => m.key)).toEqual(['1.2', '1.9', '1.10', '2']);
    expect(sectionSql(parsed(c, '1.09_dup').revert!.sql)).toEqual(['SELECT -19;']);
    expect(parsed(c, '2.00_two').transactional).toBe(false);
  });

  it('reports Java migrations, placeholders and duplicate versions', () => {
    expect(notes(c)).toEqual([
      'warning db/V1.10__ten.sql:1 import-no-down',
      'error db/V1.9__nine.sql:1 import-duplicate-version',
      'warning db/V2__two.sql:1 import-no-down',
      'warning db/V2__two.sql:1 import-placeholder',
      'warning db/V3__Java.java:1 import-java-migration',
      'warning db/sub/V1_2__one_two.sql:1 import-no-down',
    ]);
  });

  it('reads flyway_schema_history: undo takes a version back, a baseline covers what precedes it, a failed row is an error', () => {
    const { applied } = IMPORT_TOOLS.flyway.history;
    const row = (version: string | null, type: string, success = true) => ({ version, type, success });
    expect(applied([row('1.2', 'SQL'), row('1.9', 'SQL'), row('1.9', 'UNDO_SQL')], c, 'h').value).toEqual(['1.2']);
    expect(applied([row('1.9', 'BASELINE'), row('1.10', 'SQL')], c, 'h').value).toEqual(['1.2', '1.9', '1.10']);
    expect(applied([row('1.10', 'SQL', false)], c, 'h').diagnostics[0].message).toBe('h holds a failed migration, version 1.10');
    // Flyway's row for the schemas it created is no migration.
    expect(applied([row('0', 'SCHEMA'), row('1.2', 'SQL')], c, 'h')).toEqual({ value: ['1.2'], diagnostics: [] });
  });
});

describe('Flyway Java migrations', () => {
  it('reports a class that sets its own version (no "__" in its name) too, so that a history naming that version is no surprise', () => {
    const c = convert('flyway', {
      'sql/V1__t.sql': 'SELECT 1;\n', 'java/V2_1__Backfill.java': undefined, 'java/V2_3_BackfillMore.java': undefined,
      'java/Helper.java': undefined, 'java/V2Helper.java': undefined,
    });
    expect(c.skipped).toEqual([{ key: '2.1', path: 'java/V2_1__Backfill.java' }, { key: '2.3', path: 'java/V2_3_BackfillMore.java' }]);
    expect(c.notes.find((n) => n.position?.path === 'java/V2_3_BackfillMore.java')!.message)
      .toBe('a Java migration that sets its own version (2.3, as its name suggests): sqlmig runs SQL only, so it is not imported');
    expect(adoptedNames(c, ['1', '2.1', '2.3'], 'flyway', 'h')).toEqual({ value: ['1_t'], diagnostics: [] });
  });
});

describe('Flyway transactions', () => {
  it('runs a migration outside a transaction where it holds a statement no transaction may hold, as Flyway decides by itself', () => {
    const c = convert('flyway', {
      'V1__t.sql': 'CREATE TABLE t (id int);\n',
      'V2__idx.sql': '-- Built without locking writes.\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_id ON t (id);\n',
      'V3__plain.sql': "SELECT 'CREATE INDEX CONCURRENTLY x ON t (id)';\n", 'U3__plain.sql': 'DROP INDEX CONCURRENTLY t_id;\n',
      'R__v.sql': 'VACUUM t;\n',
    });
    expect(c.migrations.map((m) => parsed(c, m.name).transactional)).toEqual([true, false, false, true]);
    expect(notes(c).filter((n) => !n.endsWith('import-no-down'))).toEqual([
      'warning R__v.sql:1 import-repeatable-in-transaction',
      'warning U3__plain.sql:1 import-outside-transaction',
      'warning V2__idx.sql:2 import-outside-transaction',
    ]);
    expect(c.notes.find((n) => n.code === 'import-outside-transaction' && n.position?.path === 'V2__idx.sql')!.message)
      .toBe('CREATE INDEX CONCURRENTLY cannot run inside a transaction, so Flyway runs this migration without one: the file gets "transaction: off"');
  });
});

describe('Flyway repeatable files', () => {
  const view = 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n';
  const c = convert('flyway', {
    'V1__one.sql': 'CREATE TABLE t (id int);\n', 'V2__two.sql': 'SELECT 2;\n',
    // Descriptions: "b view" sorts before "b-view" (a space before "-"), though "b_view" sorts after "b-view" by name.
    'R__b_view.sql': view, 'R__b-view.sql': 'SELECT 0;\n', 'db/R__A_first.sql': 'SELECT 0;\n',
    'R__grants.sql': 'SELECT 0;\n', 'R__grants.sql.conf': 'executeInTransaction=false\n',
    'R__Helper.java': undefined, 'later/R__A_first.sql': 'SELECT 0;\n',
  });
  const { applied } = IMPORT_TOOLS.flyway.history;
  const run = (description: string, text: string, type = 'SQL', success = true) =>
    ({ version: null, description, type, checksum: flywayChecksum(text), success });

  it('come after every versioned file, each requiring the one before it in order of description (Java\'s string order)', () => {
    expect(names(c)).toEqual(['1_one', '2_two', 'repeatable/A_first', 'repeatable/b_view', 'repeatable/b-view', 'repeatable/grants']);
    expect(c.migrations.slice(2).map((m) => parsed(c, m.name).requires.map((r) => r.name))).toEqual([
      ['2_two'], ['repeatable/A_first'], ['repeatable/b_view'], ['repeatable/b-view'],
    ]);
    expect(c.migrations.slice(2).map((m) => m.key)).toEqual(['R__A first', 'R__b view', 'R__b-view', 'R__grants']);
    const file = parsed(c, 'repeatable/b_view');
    expect(file.repeatable).toBe(true);
    expect(file.revert).toBeUndefined();
    expect(c.migrations[3].text).toBe(`-- repeatable: yes\n-- requires: repeatable/A_first\n-- Imported from flyway: R__b_view.sql\n\n${view}`);
  });

  it('have no revert (a warning each), run in a transaction whatever their .conf says, and clash on one description', () => {
    expect(notes(c).filter((n) => /R__|\.java/.test(n))).toEqual([
      'warning R__Helper.java:1 import-java-migration',
      'warning R__b-view.sql:1 import-no-down',
      'warning R__b_view.sql:1 import-no-down',
      'warning R__grants.sql:1 import-no-down',
      'warning R__grants.sql:1 import-repeatable-in-transaction',
      'warning db/R__A_first.sql:1 import-no-down',
      'error later/R__A_first.sql:1 import-duplicate-description',
    ]);
    expect(c.skipped).toEqual([{ key: 'R__Helper', path: 'R__Helper.java' }]);
  });

  it('are applied when their last history row holds the checksum of the file as it is; a changed one is left pending, with a warning', () => {
    const rows = [
      { version: '1', type: 'SQL', success: true }, { version: '2', type: 'SQL', success: true },
      run('A first', 'SELECT 0;\n'), run('b view', 'old'), run('b view', view), run('b-view', 'SELECT 0;\n'), run('b-view', 'SELECT 1;\n'),
      run('grants', 'SELECT 0;\n'), run('grants', 'SELECT 0;\n', 'DELETE'),
    ];
    const result = applied(rows, c, 'h');
    expect(result.value).toEqual(['1', '2', 'R__A first', 'R__b view']);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.position?.path} ${d.code}`)).toEqual(['warning R__b-view.sql import-repeatable-changed']);
    expect(result.diagnostics[0].message).toBe(`changed since Flyway last ran it (h holds checksum ${flywayChecksum('SELECT 1;\n')}, `
      + `the file has ${flywayChecksum('SELECT 0;\n')}): not recorded as applied`);
    // Recorded: the versioned files and the repeatable ones up to the changed one; up runs the rest again, in order.
    expect(adoptedNames(c, result.value, 'flyway', 'h')).toEqual({ value: ['1_one', '2_two', 'repeatable/A_first', 'repeatable/b_view'], diagnostics: [] });
    // A repeatable file Flyway ran while a versioned one is still pending is run again after it, not an error.
    expect(adoptedNames(c, ['1', 'R__A first', 'R__b view'], 'flyway', 'h')).toEqual({ value: ['1_one'], diagnostics: [] });
    expect(applied([run('gone', 'x')], c, 'h').value).toEqual(['R__gone']);
    expect(adoptedNames(c, ['R__gone'], 'flyway', 'h').diagnostics[0].message).toBe('h shows "R__gone" as applied, but the flyway folder holds no such migration');
    expect(applied([run('A first', 'SELECT 0;\n', 'SQL', false)], c, 'h').diagnostics[0].message).toBe('h holds a failed migration, the repeatable "A first"');
  });

  it('checksum as Flyway does: CRC-32 of the lines without their breaks, BOM dropped, signed', () => {
    // CRC-32 of "123456789" is 0xCBF43926.
    expect(flywayChecksum('12345\r\n6789\n')).toBe(0xcbf43926 | 0);
    expect(flywayChecksum('\uFEFF12345\r6789')).toBe(0xcbf43926 | 0);
    const text = 'CREATE VIEW é AS\nSELECT 1;\n';
    expect(flywayChecksum(text)).toBe(zlib.crc32(Buffer.from(text.replace(/\n/g, ''), 'utf8')) | 0);
  });
});

describe('sqitch', () => {
  const plan = [
    '%syntax-version=1.0.0', '%project=flipr', '',
    'appschema 2024-01-10T10:00:00Z Marge <m@example.com> # Schema.',
    'users [appschema !legacy_users] 2024-01-10T10:05:00Z Marge <m@example.com> # Users.',
    '@v1 2024-01-12T08:00:00Z Marge <m@example.com> # Tag.',
    'users [users@v1 other:thing] 2024-01-20T11:00:00Z Marge <m@example.com> # Reworked.',
    'broken line',
  ].join('\n');
  const c = convert('sqitch', {
    'sqitch.plan': plan,
    'deploy/appschema.sql': '-- Deploy flipr:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA flipr;\n\nCOMMIT;\n',
    'revert/appschema.sql': 'BEGIN;\nDROP SCHEMA flipr;\nCOMMIT;\n',
    'verify/appschema.sql': 'BEGIN;\nSELECT 1/count(*) FROM pg_namespace WHERE nspname = \'flipr\';\nROLLBACK;\n',
    'deploy/users@v1.sql': '-- requires: appschema\nCREATE TABLE flipr.users (nickname text);\n',
    'revert/users@v1.sql': 'DROP TABLE flipr.users;\n',
    'deploy/users.sql': '-- requires: appschema\nALTER TABLE flipr.users ADD COLUMN twitter text;\n',
  });

  it('keeps the plan order, writes [dependencies] as requires, finds a reworked change\'s scripts under its tag', () => {
    expect(names(c)).toEqual(['appschema', 'users', 'users.2']);
    expect(c.migrations.map((m) => m.key)).toEqual(['appschema#1', 'users#1', 'users#2']);
    expect(parsed(c, 'users').requires.map((r) => r.name)).toEqual(['appschema']);
    expect(parsed(c, 'users.2').requires.map((r) => r.name)).toEqual(['users']);
    expect(c.migrations[1].from).toEqual(['deploy/users@v1.sql', 'revert/users@v1.sql']);
  });

  it('drops the scripts\' own BEGIN … COMMIT and BEGIN … ROLLBACK, and keeps their -- requires: comments as comments', () => {
    const schema = parsed(c, 'appschema');
    expect(sectionSql(schema.deploy.sql)).toEqual(['CREATE SCHEMA flipr;']);
    expect(sectionSql(schema.verify!.sql)).toEqual(["SELECT 1/count(*) FROM pg_namespace WHERE nspname = 'flipr';"]);
    expect(sectionSql(schema.revert!.sql)).toEqual(['DROP SCHEMA flipr;']);
    expect(c.migrations[1].text).toContain('-- (sqitch) requires: appschema\nCREATE TABLE flipr.users');
  });

  it('says what it cannot express', () => {
    expect(notes(c)).toEqual([
      'warning deploy/users.sql:1 import-no-down',
      'warning sqitch.plan:5 import-conflict',
      'warning sqitch.plan:7 import-other-project',
      'error sqitch.plan:8 import-plan-line',
    ]);
  });

  it('reads sqitch.changes of the plan\'s project, a reworked change once per deploy', () => {
    const rows = [['appschema', 'flipr'], ['users', 'flipr'], ['users', 'other'], ['users', 'flipr']].map(([change, project]) => ({ change, project }));
    expect(IMPORT_TOOLS.sqitch.history.applied(rows, c, 'sqitch.changes').value).toEqual(['appschema#1', 'users#1', 'users#2']);
  });
});

describe('diesel', () => {
  it('orders folders by version, keys them without dashes, honours run_in_transaction = false', () => {
    const c = convert('diesel', {
      '2024-02-01-000000_b/up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);\n', '2024-02-01-000000_b/down.sql': 'DROP INDEX i;\n',
      '2024-02-01-000000_b/metadata.toml': 'run_in_transaction = false\n',
      '00000000000000_diesel_initial_setup/up.sql': 'SELECT 0;\n', '00000000000000_diesel_initial_setup/down.sql': 'SELECT 0;\n',
      '2024-01-31-120000_a/up.sql': 'SELECT 1;\n',
    }, SQLITE);
    expect(names(c)).toEqual(['00000000000000_diesel_initial_setup', '2024-01-31-120000_a', '2024-02-01-000000_b']);
    expect(c.migrations.map((m) => m.key)).toEqual(['00000000000000', '20240131120000', '20240201000000']);
    expect(parsed(c, '2024-02-01-000000_b', SQLITE).transactional).toBe(false);
    expect(notes(c)).toEqual(['warning 2024-01-31-120000_a/up.sql:1 import-no-down']);
  });
});

describe('adoptedNames', () => {
  const c = convert('golang-migrate', { '1_a.up.sql': 'SELECT 1;', '2_b.up.sql': 'SELECT 2;', '3_c.up.sql': 'SELECT 3;' });
  const withGo: Conversion = { ...c, skipped: [{ key: '9', path: '9_x.go' }] };

  it('records the applied prefix; a skipped migration in the history is no problem', () => {
    expect(adoptedNames(withGo, ['1', '2', '9'], 'goose', 't')).toEqual({ value: ['1_a', '2_b'], diagnostics: [] });
  });

  it('refuses a history that skips a file, or names one the folder lacks', () => {
    const messages = adoptedNames(c, ['1', '3', '7'], 'golang-migrate', 'schema_migrations').diagnostics.map((d) => d.message);
    expect(messages).toEqual([
      'schema_migrations shows "7" as applied, but the golang-migrate folder holds no such migration',
      'schema_migrations shows 3_c as applied, but 2_b, before it, is not',
    ]);
  });
});
