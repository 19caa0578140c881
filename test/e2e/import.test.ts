// sqlmig import on the fixture folders of seven tools: the other tool's run (its scripts through psql, its history table
// written as it writes it), then import --db, up (writes nothing), down --all and up (the same schema as the other tool's run).
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { freshPostgres, postgresUrl, type TestDatabase, schemaOf } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

/** What the other tool did: which scripts it ran, in its order (written out by hand), and the history it left. */
interface OldRun {
  tool: string;
  /** Paths below the fixture folder; `path#up` takes the part of a one-file migration before its down marker. */
  scripts: string[];
  history: string;
  /** The table import reads (to check it is left as it was). */
  table: string;
  recorded: number;
  /** What a human adds after the import, as its warnings ask (a revert for a Flyway repeatable file). */
  afterImport?: Record<string, string>;
}

/** Flyway's checksum of a script (CRC-32 of its lines without their breaks, signed), computed here with zlib. */
const flywayChecksum = (text: string) => zlib.crc32(Buffer.from(text.replace(/\r|\n/g, ''), 'utf8')) | 0;
const PERSON_VIEW = readFileSync(join(FIXTURES, 'flyway/sql/R__Person_view.sql'), 'utf8');

const RUNS: OldRun[] = [
  {
    tool: 'golang-migrate',
    scripts: ['000001_create_users.up.sql', '000002_create_orders.up.sql', '000003_orders_user_id_index.up.sql', '000010_users_display_name.up.sql'],
    history: 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (10, false);',
    table: 'schema_migrations', recorded: 4,
  },
  {
    tool: 'dbmate',
    scripts: ['20240105093000_create_accounts.sql#up', '20240112141500_account_plans.sql#up', '20240120080000_accounts_email_index.sql#up',
      '20240201120000_touch_updated_at.sql#up'],
    history: `CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
      INSERT INTO schema_migrations VALUES ('20240105093000'), ('20240112141500'), ('20240120080000'), ('20240201120000');`,
    table: 'schema_migrations', recorded: 4,
  },
  {
    // The Go migration 3 only backfills data: the schema does not show it.
    tool: 'goose',
    scripts: ['00001_create_posts.sql#up', '00002_post_slug.sql#up', '00004_posts_slug_index.sql#up', '00012_post_views.sql#up'],
    history: `CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (3, true), (4, true), (12, true), (12, false), (12, true);`,
    table: 'goose_db_version', recorded: 4,
  },
  {
    tool: 'sql-migrate',
    scripts: ['1_initial.sql#up', '2_record.sql#up', '10_people_audit.sql#up', '11_people_name_index.sql#up', 'seed_reference.sql#up'],
    history: `CREATE TABLE gorp_migrations (id text PRIMARY KEY, applied_at timestamptz);
      INSERT INTO gorp_migrations (id) VALUES ('1_initial.sql'), ('2_record.sql'), ('10_people_audit.sql'), ('11_people_name_index.sql'), ('seed_reference.sql');`,
    table: 'gorp_migrations', recorded: 5,
  },
  {
    // Flyway runs the repeatable R__Person_view.sql after every versioned file.
    tool: 'flyway',
    scripts: ['sql/V1__Create_person_table.sql', 'sql/V1.1__Add_people.sql', 'sql/V2__Person_primary_key.sql', 'sql/2024/V2_5__Person_email.sql',
      'sql/V10__Person_name_index.sql', 'sql/R__Person_view.sql'],
    history: `CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL,
        type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int, installed_by varchar(100) NOT NULL,
        installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL);
      INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, installed_by, execution_time, success) VALUES
        (1, '1', 'Create person table', 'SQL', 'V1__Create_person_table.sql', 'app', 5, true),
        (2, '1.1', 'Add people', 'SQL', 'V1.1__Add_people.sql', 'app', 2, true),
        (3, '2', 'Person primary key', 'SQL', 'V2__Person_primary_key.sql', 'app', 3, true),
        (4, '2.5', 'Person email', 'SQL', '2024/V2_5__Person_email.sql', 'app', 1, true),
        (5, '10', 'Person name index', 'SQL', 'V10__Person_name_index.sql', 'app', 4, true);
      INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
        (6, NULL, 'Person view', 'SQL', 'R__Person_view.sql', ${flywayChecksum(PERSON_VIEW)}, 'app', 1, true);`,
    table: 'flyway_schema_history', recorded: 6,
    afterImport: { 'repeatable/Person_view.sql': '\n-- revert:\nDROP VIEW person_names;\n' },
  },
  {
    tool: 'sqitch',
    scripts: ['deploy/appschema.sql', 'deploy/users.sql', 'deploy/flips.sql', 'deploy/insert_user@v1.0.0-dev1.sql', 'deploy/insert_user.sql'],
    history: `CREATE SCHEMA sqitch;
      CREATE TABLE sqitch.changes (change_id text PRIMARY KEY, script_hash text, change text NOT NULL, project text NOT NULL, note text NOT NULL DEFAULT '',
        committed_at timestamptz NOT NULL, committer_name text NOT NULL, committer_email text NOT NULL,
        planned_at timestamptz NOT NULL, planner_name text NOT NULL, planner_email text NOT NULL);
      INSERT INTO sqitch.changes (change_id, change, project, committed_at, committer_name, committer_email, planned_at, planner_name, planner_email)
      SELECT md5(change || n), change, project, '2024-02-01'::timestamptz + n * interval '1 minute', 'Marge', 'marge@example.com', '2024-01-10', 'Marge', 'marge@example.com'
        FROM (VALUES (1, 'appschema', 'flipr'), (2, 'users', 'flipr'), (3, 'widgets', 'other'), (4, 'flips', 'flipr'), (5, 'insert_user', 'flipr'),
                     (6, 'insert_user', 'flipr')) AS v(n, change, project);`,
    table: 'sqitch.changes', recorded: 5,
  },
  {
    tool: 'diesel',
    scripts: ['00000000000000_diesel_initial_setup/up.sql', '2024-01-31-120000_create_users/up.sql', '2024-02-05-093000_create_posts/up.sql',
      '2024-02-10-101500_index_posts_user/up.sql'],
    history: `CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
      INSERT INTO __diesel_schema_migrations (version) VALUES ('00000000000000'), ('20240131120000'), ('20240205093000'), ('20240210101500');`,
    table: '__diesel_schema_migrations', recorded: 4,
  },
];

/** The up part of a one-file migration: everything before its down marker (the markers are comments to psql). */
function upScript(fixture: string, script: string): string {
  const [path, part] = script.split('#');
  const text = readFileSync(join(fixture, path), 'utf8');
  return part === 'up' ? text.split(/^--\s*(?:migrate:down|\+goose Down|\+migrate Down).*$/m)[0] : text;
}

/** Runs a script as the other tools do on PostgreSQL: through psql, statement by statement, stopping at the first error. */
function psql(url: string, sql: string): void {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], { input: sql, stdio: ['pipe', 'ignore', 'pipe'] });
}


describe.skipIf(!postgresUrl)('sqlmig import on PostgreSQL', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => { for (const db of opened) await db.close(); });
  const fresh = async () => { const db = await freshPostgres(); opened.push(db); return db; };

  it.each(RUNS)('adopts what $tool ran: up writes nothing, down --all and up give its schema again', async (run) => {
    const fixture = join(FIXTURES, run.tool);
    const db = await fresh();
    for (const script of run.scripts) psql(db.url!, upScript(fixture, script));
    await db.query(run.history);
    const before = await schemaOf(db);
    const oldHistory = JSON.stringify(await db.query(`SELECT * FROM ${run.table}`));
    const cwd = tempDir('import-');
    const cli = (args: string[]) => sqlmig([...args, '--dir', 'm', '--db', db.url!], { cwd });

    const imported = await cli(['import', '--from', run.tool, fixture]);
    expect(imported.stderr.replace(/^.*warning.*\n(  hint.*\n)?/gm, '')).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`recorded ${run.recorded} migrations as applied on postgres://`);
    for (const [file, text] of Object.entries(run.afterImport ?? {})) appendFileSync(join(cwd, 'm', file), text);

    const mark = await db.writeMark();
    const up = await cli(['up']);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('nothing to do');
    expect(await db.writeMark()).toBe(mark);

    expect((await cli(['down', '--all'])).code).toBe(0);
    const again = await cli(['up']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(await schemaOf(db)).toEqual(before);
    expect(JSON.stringify(await db.query(`SELECT * FROM ${run.table}`))).toBe(oldHistory);
  });

  it('records only what the history shows: the rest is pending, a rerun changes nothing, a dry run writes nothing', async () => {
    const fixture = join(FIXTURES, 'golang-migrate');
    const db = await fresh();
    for (const script of RUNS[0].scripts.slice(0, 2)) psql(db.url!, upScript(fixture, script));
    await db.query('CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, false);');
    const cwd = tempDir('import-');
    const cli = (args: string[]) => sqlmig([...args, '--dir', 'm', '--db', db.url!], { cwd });

    const dry = await cli(['import', '--from', 'golang-migrate', fixture, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).adopted.recorded).toEqual(['000001_create_users', '000002_create_orders']);
    expect(existsSync(join(cwd, 'm'))).toBe(false);
    expect(await db.tables()).not.toContain('migrations');

    const first = await cli(['import', '--from', 'golang-migrate', fixture]);
    expect(first.stdout).toContain('recorded 2 migrations as applied');
    const rerun = await cli(['import', '--from', 'golang-migrate', fixture]);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('unchanged   m/000001_create_users.sql');
    expect(rerun.stdout).toContain('wrote 0 files from 4 golang-migrate migrations into m');
    expect(rerun.stdout).toContain('recorded 0 migrations as applied');
    const up = await cli(['up']);
    expect(up.stdout).toMatch(/applied +000003_orders_user_id_index[\s\S]*applied +000010_users_display_name/);
    expect(await db.events()).toEqual([
      '000001_create_users:resolve', '000002_create_orders:resolve', '000003_orders_user_id_index:deploy', '000010_users_display_name:deploy',
    ]);
  });

  it('leaves a Flyway repeatable file that changed since Flyway ran it pending: up applies it again, then writes nothing', async () => {
    const fixture = join(FIXTURES, 'flyway');
    const flyway = RUNS.find((r) => r.tool === 'flyway')!;
    const db = await fresh();
    const oldView = 'create or replace view PERSON_NAMES as select NAME from PERSON where ID > 1;\n';
    const filtered = async () => (await db.query("SELECT pg_get_viewdef('person_names') LIKE '%WHERE%' AS w"))[0].w;
    for (const script of flyway.scripts.slice(0, -1)) psql(db.url!, upScript(fixture, script));
    psql(db.url!, oldView);
    await db.query(flyway.history.replace(String(flywayChecksum(PERSON_VIEW)), String(flywayChecksum(oldView))));
    const cwd = tempDir('import-');
    const cli = (args: string[]) => sqlmig([...args, '--dir', 'm', '--db', db.url!], { cwd });

    const imported = await cli(['import', '--from', 'flyway', fixture]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`sql/R__Person_view.sql:1:1 warning[import-repeatable-changed]: changed since Flyway last ran it (flyway_schema_history holds checksum ${flywayChecksum(oldView)}`);
    expect(imported.stderr).toContain('hint: sqlmig up applies repeatable/Person_view again, as flyway migrate would');
    expect(imported.stdout).toContain('recorded 5 migrations as applied');
    expect(await filtered()).toBe(true);
    const up = await cli(['up']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/applied +repeatable\/Person_view/);
    expect(await filtered()).toBe(false);
    const mark = await db.writeMark();
    expect((await cli(['up'])).stdout).toContain('nothing to do');
    expect(await db.writeMark()).toBe(mark);
  });

  it('stops before writing anything on a dirty or out-of-order history, a missing table, or a file it would overwrite', async () => {
    const db = await fresh();
    const cwd = tempDir('import-');
    const cli = (args: string[]) => sqlmig([...args, '--dir', 'm', '--db', db.url!], { cwd });

    const missing = await cli(['import', '--from', 'flyway', join(FIXTURES, 'flyway')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[usage]: cannot read flyway\'s history table flyway_schema_history: relation "flyway_schema_history" does not exist');

    await db.query('CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (3, true);');
    const dirty = await cli(['import', '--from', 'golang-migrate', join(FIXTURES, 'golang-migrate')]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('error[import-dirty]: schema_migrations says version 3 is dirty: golang-migrate failed midway through it');
    expect(dirty.stderr).toContain('hint: repair the database by hand, run "migrate force 3"');

    await db.query(`DROP TABLE schema_migrations; CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
      INSERT INTO schema_migrations VALUES ('20240105093000'), ('20240120080000');`);
    const holes = await cli(['import', '--from', 'dbmate', join(FIXTURES, 'dbmate')]);
    expect(holes.code).toBe(2);
    expect(holes.stderr).toContain('schema_migrations shows 20240120080000_accounts_email_index as applied, but 20240112141500_account_plans, before it, is not');
    expect(existsSync(join(cwd, 'm'))).toBe(false);
    expect(await db.tables()).toEqual(['schema_migrations']);

    writeFiles(join(cwd, 'm'), { '20240112141500_account_plans.sql': 'SELECT 1;\n-- revert:\n' });
    const clash = await cli(['import', '--from', 'dbmate', join(FIXTURES, 'dbmate')]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('m/20240112141500_account_plans.sql:1:1 error[import-would-overwrite]: m/20240112141500_account_plans.sql already exists');
    expect(readdirSync(join(cwd, 'm'))).toEqual(['20240112141500_account_plans.sql']);
  });
});

describe('sqlmig import', () => {
  it('reports every problem at once, at the line of the source file, before writing or connecting', async () => {
    const cwd = tempDir('import-');
    writeFiles(join(cwd, 'old'), {
      '1_users.up.sql': 'CREATE TABLE users (id int);\n\\set ON_ERROR_STOP 1\n',
      '1_users.down.sql': 'DROP TABLE users;\n',
      '2_more.up.sql': 'CREATE TABLE more (id int);\nCOMMIT;\n',
      '3_lost.down.sql': 'SELECT 1;\n',
    });
    const r = await sqlmig(['import', '--from', 'golang-migrate', 'old', '--db', 'postgres://nobody@127.0.0.1:1/none'], { cwd });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => / (error|warning)\[/.test(l));
    expect(lines).toEqual([
      'old/1_users.up.sql:2:1 error[psql-meta-command]: psql meta-commands are not SQL (imported as 1_users)',
      'old/2_more.up.sql:1:1 warning[import-no-down]: no down file: the imported migration has no revert section, so sqlmig down refuses to cross it',
      'old/2_more.up.sql:2:1 warning[import-transaction-control]: COMMIT inside the script: the file gets "transaction: off" and runs statement by statement, as written',
      'old/3_lost.down.sql:1:1 error[import-down-without-up]: a down file without its up file (version 3)',
    ]);
    expect(existsSync(join(cwd, 'migrations'))).toBe(false);
  });

  it('adopts a history on SQLite', async () => {
    const cwd = tempDir('import-');
    writeFiles(join(cwd, 'db/migrations'), {
      '20240101000000_notes.sql': '-- migrate:up\nCREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n-- migrate:down\nDROP TABLE notes;\n',
      '20240102000000_tags.sql': '-- migrate:up\nCREATE TABLE tags (note_id INTEGER REFERENCES notes (id), tag TEXT);\nCREATE INDEX tags_tag ON tags (tag);\n'
        + '-- migrate:down\nDROP TABLE tags;\n',
      '20240103000000_later.sql': '-- migrate:up\nCREATE VIEW tagged AS SELECT tag, count(*) AS n FROM tags GROUP BY tag;\n-- migrate:down\nDROP VIEW tagged;\n',
    });
    const path = join(cwd, 'app.db');
    const db = new Database(path);
    for (const file of ['20240101000000_notes.sql', '20240102000000_tags.sql']) {
      db.exec(readFileSync(join(cwd, 'db/migrations', file), 'utf8').split('-- migrate:down')[0]);
    }
    db.exec("CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240102000000');");
    const schema = () => db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name NOT LIKE 'sqlmig!_%' ESCAPE '!' ORDER BY name").all();
    const before = schema();
    db.close();
    const cli = (args: string[]) => sqlmig([...args, '--dir', 'm', '--db', 'sqlite:app.db'], { cwd });

    const imported = await cli(['import', '--from', 'dbmate', 'db/migrations']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('recorded 2 migrations as applied on sqlite:app.db, as schema_migrations shows (none ran)');
    const status = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(status.migrations.map((m: { name: string; state: string }) => `${m.name}:${m.state}`)).toEqual([
      '20240101000000_notes:applied', '20240102000000_tags:applied', '20240103000000_later:pending',
    ]);
    expect((await cli(['down', '--all'])).code).toBe(0);
    expect((await cli(['up', '--to', '20240102000000_tags'])).code).toBe(0);
    const reopened = new Database(path);
    expect(reopened.prepare("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name NOT LIKE 'sqlmig!_%' ESCAPE '!' ORDER BY name").all()).toEqual(before);
    reopened.close();
  });
});
