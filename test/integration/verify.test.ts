// verify on real scratch databases: every kind of object a revert can forget is caught, with a readable message.
import { describe, expect, it } from 'vitest';
import { ConnectionError, describeDifference, InterruptedError, loadProject, renderDifferences, verifyProject, type VerifyReport } from '../../src/index.js';
import { TEST_USER } from '../helpers/global-setup.js';
import { asAdmin, postgresUrl } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

/** name -> [deploy, broken revert, a line the report must hold]. Each file is checked on its own. */
const BROKEN: Record<string, [string, string, string]> = {
  schema: ['CREATE SCHEMA extra;', '', 'schema extra: still present after revert'],
  table: ['CREATE TABLE t_new (id int);', '', 'table public.t_new: still present after revert'],
  partition: ['CREATE TABLE base_p2 PARTITION OF base_parted FOR VALUES FROM (10) TO (20);', '', 'table public.base_p2: still present after revert'],
  column: ['ALTER TABLE base ADD COLUMN c text;', '', 'column public.base.c: still present after revert'],
  column_type: ['ALTER TABLE base ALTER COLUMN n TYPE bigint;', '', 'column public.base.n: changed after revert (was type=integer; now type=bigint)'],
  column_default: ['ALTER TABLE base ALTER COLUMN n SET DEFAULT 5;', '', 'column public.base.n: changed after revert (was —; now default=5)'],
  column_not_null: ['ALTER TABLE base ALTER COLUMN n SET NOT NULL;', '', 'column public.base.n: changed after revert (was not_null=false; now not_null=true)'],
  column_identity: ['ALTER TABLE base ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;', '', 'column public.base.id: changed after revert (was —; now identity=a)'],
  column_generated: ['ALTER TABLE base_generated ALTER COLUMN g2 DROP EXPRESSION;', '',
    'column public.base_generated.g2: changed after revert (was default=(g * 2) | generated=s; now —)'],
  column_collation: ['ALTER TABLE base ALTER COLUMN label TYPE text COLLATE "C";', '', 'column public.base.label: changed after revert (was —; now collation=C)'],
  check_constraint: ['ALTER TABLE base ADD CONSTRAINT n_positive CHECK (n > 0);', '', 'constraint public.base.n_positive: still present after revert'],
  index: ['CREATE INDEX base_n_idx ON base (n);', '', 'index public.base_n_idx: still present after revert'],
  view: ['CREATE VIEW v_new AS SELECT id FROM base;', '', 'view public.v_new: still present after revert'],
  view_definition: ['CREATE OR REPLACE VIEW base_view AS SELECT id, n FROM base;', '', 'view public.base_view: changed after revert'],
  materialized_view: ['CREATE MATERIALIZED VIEW mv AS SELECT id FROM base;', '', 'materialized view public.mv: still present after revert'],
  function: ['CREATE FUNCTION f_new() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;', '', 'function public.f_new(): still present after revert'],
  function_body: ['CREATE OR REPLACE FUNCTION base_fn() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;', '', 'function public.base_fn(): changed after revert'],
  procedure: ['CREATE PROCEDURE p_new() LANGUAGE sql AS $$ SELECT 1 $$;', '', 'procedure public.p_new(): still present after revert'],
  sequence: ['CREATE SEQUENCE s_new;', '', 'sequence public.s_new: still present after revert'],
  enum: ['CREATE TYPE mood AS ENUM (\'sad\', \'ok\');', '', 'enum public.mood: still present after revert'],
  enum_values: ["DROP TYPE base_enum; CREATE TYPE base_enum AS ENUM ('a', 'b', 'c');", "DROP TYPE base_enum; CREATE TYPE base_enum AS ENUM ('a', 'c');",
    "enum public.base_enum: changed after revert (was values='a', 'b'; now values='a', 'c')"],
  composite: ['CREATE TYPE pair AS (a int, b int);', '', 'composite type public.pair: still present after revert'],
  domain: ['CREATE DOMAIN positive AS int CHECK (VALUE > 0);', '', 'domain public.positive: still present after revert'],
  trigger: ['CREATE TRIGGER base_touch BEFORE UPDATE ON base FOR EACH ROW EXECUTE FUNCTION base_trigger_fn();', '',
    'trigger public.base.base_touch: still present after revert'],
  policy: ['CREATE POLICY only_positive ON base USING (n > 0);', '', 'policy public.base.only_positive: still present after revert'],
  row_level_security: ['ALTER TABLE base ENABLE ROW LEVEL SECURITY;', '', 'table public.base: changed after revert (was rls=false; now rls=true)'],
  grant: ['GRANT SELECT ON base TO PUBLIC;', '', 'table public.base: changed after revert'],
  owner: ['ALTER TABLE base_owned OWNER TO verify_owner;', '', 'table public.base_owned: changed after revert (was owner='],
  dropped_too_much: ['SELECT 1;', 'DROP INDEX base_label_idx;', 'index public.base_label_idx: missing after revert'],
  dropped_function: ['SELECT 1;', 'DROP FUNCTION base_fn();', 'function public.base_fn(): missing after revert'],
  view_columns: ['SELECT 1;', 'CREATE OR REPLACE VIEW base_view AS SELECT id, n FROM base;', 'column public.base_view.n: still present after revert'],
  body_string: ["CREATE OR REPLACE FUNCTION base_fn() RETURNS int LANGUAGE sql AS $$ SELECT length('a  b') $$;",
    "CREATE OR REPLACE FUNCTION base_fn() RETURNS int LANGUAGE sql AS $$ SELECT length('a b') $$;", 'function public.base_fn(): changed after revert'],
};

/** name -> [deploy, revert, the note the report must hold]: reverts that restore the schema but for cosmetic differences. */
const COSMETIC: Record<string, [string, string, string]> = {
  comment: ["COMMENT ON TABLE base IS 'the base';", '', 'table public.base: comment (was none; now "the base") only'],
  column_order: ['ALTER TABLE base_order DROP COLUMN b;', 'ALTER TABLE base_order ADD COLUMN b int;',
    'table public.base_order: column order only (b 2 -> 3, c 3 -> 2); affects SELECT *, INSERT without a column list and COPY without a column list'],
  body_formatting: ['CREATE OR REPLACE FUNCTION base_fn() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;',
    'CREATE OR REPLACE FUNCTION base_fn() RETURNS int LANGUAGE sql AS $$\n  -- one again\n  SELECT   1\n$$;',
    'function public.base_fn(): whitespace or comments inside its body only'],
};

const BASE = `
CREATE TABLE base (id int NOT NULL, n int, label text);
CREATE INDEX base_label_idx ON base (label);
CREATE TABLE base_owned (id int);
CREATE TABLE base_order (a int, b int, c int);
CREATE TABLE base_generated (g int, g2 int GENERATED ALWAYS AS (g * 2) STORED);
CREATE TABLE base_parted (k int) PARTITION BY RANGE (k);
CREATE TABLE base_p1 PARTITION OF base_parted FOR VALUES FROM (0) TO (10);
CREATE VIEW base_view AS SELECT id FROM base;
CREATE FUNCTION base_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION base_trigger_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TYPE base_enum AS ENUM ('a', 'b');
DO $$ BEGIN CREATE ROLE verify_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
`;

function brokenProject(extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { '000_base.sql': BASE, ...extra };
  for (const [name, [deploy, revert]] of [...Object.entries(BROKEN), ...Object.entries(COSMETIC)]) {
    files[`${name}.sql`] = `-- requires: 000_base\n${deploy}\n-- revert:\n${revert}\n`;
  }
  files['zz_fine.sql'] = '-- requires: 000_base\nALTER TABLE base ADD COLUMN fine text;\n-- revert:\nALTER TABLE base DROP COLUMN fine;\n';
  return writeFiles(tempDir(), files);
}

function messages(report: VerifyReport, name: string): string[] {
  const r = report.results.find((x) => x.name === name)!;
  return [r.status, ...(r.differences ?? []).map(describeDifference)];
}

function notes(report: VerifyReport, name: string): string[] {
  const r = report.results.find((x) => x.name === name)!;
  return [r.status, ...renderDifferences(r.differences ?? [])];
}

function expectEveryBrokenRevertCaught(report: VerifyReport): void {
  expect(report.ok).toBe(false);
  for (const [name, [, , expected]] of Object.entries(BROKEN)) {
    const found = messages(report, name);
    expect(found[0], name).toBe('revert-incomplete');
    expect(found.slice(1).some((m) => m.startsWith(expected)), `${name}: ${found.join(' / ')}`).toBe(true);
  }
  for (const [name, [, , expected]] of Object.entries(COSMETIC)) expect(notes(report, name), name).toEqual(['cosmetic', `note: ${expected}`]);
  expect(report.results.find((r) => r.name === 'body_string')!.differences![0]).toMatchObject({ class: 'breaking', fields: [{ field: 'body', kind: 'changed' }] });
  expect(messages(report, 'zz_fine')).toEqual(['ok']);
  expect(messages(report, '000_base')).toEqual(['irreversible']);
}

describe('verify: round trip', () => {
  it('catches a broken revert for every kind of object, on PGlite', async () => {
    expectEveryBrokenRevertCaught(await verifyProject(await loadProject(brokenProject())));
  });

  it.skipIf(!postgresUrl)('catches them on temporary PostgreSQL databases too, extensions included, and drops its databases', async () => {
    const dir = brokenProject({ 'ext.sql': 'CREATE EXTENSION IF NOT EXISTS hstore;\n-- revert:\n' });
    const report = await verifyProject(await loadProject(dir), { db: postgresUrl! });
    expectEveryBrokenRevertCaught(report);
    expect(messages(report, 'ext')).toEqual(['revert-incomplete', 'extension hstore: still present after revert']);
    const { default: pg } = await import('pg');
    const c = new pg.Client(postgresUrl!);
    await c.connect();
    const left = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`sqlmig_verify_${process.pid}_%`]);
    await c.end();
    expect(left.rows).toEqual([]);
  });

  it.skipIf(!postgresUrl)('drops the scratch databases a killed run left (nobody connected, over an hour old), naming them', async () => {
    // Names as verify makes them: sqlmig_verify_<pid>_<creation time, base 36>_<counter>.
    const made = (msAgo: number, n: number) => `sqlmig_verify_1_${(Date.now() - msAgo).toString(36)}_${n}`;
    const [old, recent, held] = [made(2 * 3_600_000, 0), made(60_000, 1), made(2 * 3_600_000, 2)];
    for (const name of [old, recent, held]) await asAdmin(`CREATE DATABASE "${name}"`);
    const { default: pg } = await import('pg');
    const holder = new pg.Client(Object.assign(new URL(postgresUrl!), { pathname: `/${held}` }).toString());
    await holder.connect();
    try {
      const warnings: string[] = [];
      const report = await verifyProject(await loadProject('migrations-example'), { db: postgresUrl!, onWarning: (w) => warnings.push(w) });
      expect(report.ok).toBe(true);
      expect(warnings.join('\n')).toMatch(new RegExp(`^dropped \\d+ scratch databases? left by verify runs that were killed: .*${old}`, 'm'));
      expect(warnings.join('\n')).not.toContain(recent);
      const left = (await asAdmin<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[old, recent, held]])).map((r) => r.datname);
      expect(left.sort()).toEqual([recent, held].sort());
    } finally {
      await holder.end();
      for (const name of [recent, held]) await asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  it.skipIf(!postgresUrl)('says so when the role given with --db may not create databases (exit 3)', async () => {
    const url = new URL(postgresUrl!);
    url.username = TEST_USER;
    const error = await verifyProject(await loadProject('migrations-example'), { db: url.toString() }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('verify cannot create a scratch database on postgres://sqlmig_test_user@');
    expect(error.hint).toContain('CREATEDB');
  });

  it('stops with InterruptedError once its signal is aborted, naming the signal (exit 143)', async () => {
    const error = await verifyProject(await loadProject('migrations-example'), { signal: AbortSignal.abort('SIGTERM') }).catch((e) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.exitCode).toBe(143);
    expect(error.message).toBe('interrupted by SIGTERM: rolled back; every scratch database dropped');
  });

  it('reports irreversible files as skipped, and a failing deploy as a failure that stops the run', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE a (id int);\n', 'b.sql': 'SELECT nosuch;\n-- revert:\n', 'c.sql': 'CREATE TABLE c (id int);\n-- revert:\nDROP TABLE c;\n',
    });
    const report = await verifyProject(await loadProject(dir));
    expect(report.results.map((r) => `${r.name}:${r.status}`)).toEqual(['a:irreversible', 'b:deploy-failed', 'c:not-run']);
    expect(report.results[1].error?.position).toMatchObject({ line: 1, column: 8 });
  });
});

describe('verify --isolation', () => {
  it('finds a missing requires and names the file that creates the object', async () => {
    const dir = writeFiles(tempDir(), {
      '1_schema.sql': 'CREATE SCHEMA app;\n-- revert:\nDROP SCHEMA app;\n',
      '2_users.sql': '-- requires: 1_schema\nCREATE TABLE app.users (id int PRIMARY KEY);\n-- revert:\nDROP TABLE app.users;\n',
      // Needs 2_users but only says 1_schema: name order hides it.
      '3_orders.sql': '-- requires: 1_schema\nCREATE TABLE app.orders (user_id int REFERENCES app.users (id));\n-- revert:\nDROP TABLE app.orders;\n',
      '4_index.sql': '-- requires: 2_users\n-- transaction: off\nCREATE INDEX CONCURRENTLY users_id ON app.users (id);\n-- revert:\nDROP INDEX CONCURRENTLY app.users_id;\n',
    });
    const report = await verifyProject(await loadProject(dir), { isolation: true });
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => `${r.name}:${r.status}`)).toEqual(['1_schema:ok', '2_users:ok', '3_orders:missing-requires', '4_index:ok']);
    expect(report.results[2].missing).toEqual({ object: 'app.users', createdBy: '2_users' });
    expect(report.results[2].error?.position).toMatchObject({ path: `${dir}/3_orders.sql`, line: 2 });
  });

  it('passes on the example project', async () => {
    const report = await verifyProject(await loadProject('migrations-example'), { isolation: true });
    expect(report.results.filter((r) => r.status !== 'ok')).toEqual([]);
  });
});
