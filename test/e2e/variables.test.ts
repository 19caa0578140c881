// Variables through the CLI: --var, SQLMIG_VAR_* and the config file's "vars" in that order; a missing value is exit 2 before
// connecting; a canary value through every output path (failing run, JSON, dry run, notices, status, graph, lint, verify).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig, type CliResult } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const CANARY = "Canary'Secret#%/@:?pw";
const SCHEMA = 'canary_schema_q7';
const forms = [CANARY, CANARY.replace("'", "''"), 'Canary', SCHEMA];
const expectNoCanary = (r: CliResult) => {
  for (const form of forms) expect(r.stdout + r.stderr).not.toContain(form);
};

describe.skipIf(!postgresUrl)('variables (CLI)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });

  it('takes values from --var, then SQLMIG_VAR_*, then sqlmig.config.json; an empty environment variable is unset', async () => {
    writeFiles(dir, {
      'migrations/v.sql': "-- vars: a, b, c\nCREATE TABLE vals (a text, b text, c text);\nINSERT INTO vals VALUES (:'a', :'b', :'c');\n",
      'sqlmig.config.json': JSON.stringify({ vars: { a: 'config', b: 'config', c: 'config' } }),
    });
    const run = await sqlmig(['up', '--db', db.url!, '--var', 'a=flag', '--var', 'unused=x'], {
      cwd: dir, env: { SQLMIG_VAR_a: 'env', SQLMIG_VAR_b: 'env', SQLMIG_VAR_c: '' },
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(await db.query('SELECT a, b, c FROM vals')).toEqual([{ a: 'flag', b: 'env', c: 'config' }]);
  });

  it('refuses a declared variable without a value before connecting (exit 2), listing every one', async () => {
    writeFiles(dir, { '1.sql': '-- vars: app_schema\nCREATE SCHEMA :"app_schema";\n', '2.sql': '-- vars: reader_role\nCREATE ROLE :reader_role;\n' });
    const run = await sqlmig(['up', '--dir', dir, '--db', 'postgres://nobody@127.0.0.1:1/none']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${dir}/1.sql:1:10 error[missing-variable]: variable "app_schema" has no value`);
    expect(run.stderr).toContain(`${dir}/2.sql:1:10 error[missing-variable]: variable "reader_role" has no value`);
    expect(run.stderr).toContain('hint: give it one: --var reader_role=VALUE, SQLMIG_VAR_reader_role in the environment');
    expect(run.stderr).not.toMatch(/connect/);
    const bad = await sqlmig(['up', '--dir', dir, '--db', db.url!, '--var', 'no-such=1']);
    expect(bad.stderr).toMatch(/--var: "no-such" is not a variable name/);
    expect(bad.code).toBe(2);
  });

  it('never prints a value: failing run, notices, JSON, dry run, status, graph, lint and verify show placeholders', async () => {
    writeFiles(dir, {
      '1_schema.sql': '-- vars: app_schema\nCREATE SCHEMA :"app_schema";\nCREATE TABLE :app_schema.users (id int);\n-- revert:\nSELECT 1;\n',
      '2_role.sql': '-- requires: 1_schema\n-- vars: app_schema, pw\n'
        + "SELECT set_config('canary.pw', :'pw', false);\n"
        + "DO $$ BEGIN RAISE NOTICE 'the password is %', current_setting('canary.pw'); END $$;\n"
        + 'DROP TABLE :app_schema.users;\n'
        + "SELECT CAST(:'pw' AS int);\n-- revert:\nSELECT 1;\n",
    });
    const env = { SQLMIG_VAR_pw: CANARY, SQLMIG_VAR_app_schema: SCHEMA };
    const run = (...args: string[]) => sqlmig([...args, '--dir', dir], { env });
    const server = ['--db', db.url!];
    // What reads the folder or the history first (dry runs plan against an empty history), then the failing runs.
    const reads = await Promise.all([
      run('up', ...server, '--dry-run'), run('up', ...server, '--dry-run', '--json'),
      run('graph'), run('graph', '--json'), run('graph', '--format', 'dot'), run('graph', '--format', 'mermaid'),
      run('lint'), run('lint', '--json'), run('verify', ...server),
    ]);
    const runs = [...reads, await run('up', ...server), await run('up', ...server, '--json')];
    runs.forEach(expectNoCanary);
    const [dry, dryJson, , , , , lint, , verify, up, upJson] = runs;
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('2_role: NOTICE: the password is :pw');
    expect(up.stderr).toContain(`${dir}/2_role.sql:6:13 error[sql-failed]: 2_role: invalid input syntax for type integer: ":pw"`);
    expect(up.stderr).toContain("> 6 | SELECT CAST(:'pw' AS int);");
    expect(JSON.parse(upJson.stdout).error.details).toMatchObject({ serverMessage: 'invalid input syntax for type integer: ":pw"' });
    expect(dry.stdout).toContain("SELECT set_config('canary.pw', :'pw', false);");
    expect(dry.stdout).toContain('lint: 1 breaking change in the pending migrations (drop-table)');
    expect(JSON.parse(dryJson.stdout).steps[0].sql).toContain('CREATE SCHEMA :"app_schema";');
    expect(lint.stdout).toContain('warning[drop-table]: drops table :app_schema.users');
    expect(verify.code).toBe(8);
    expect(verify.stdout).toContain('schema :app_schema');
    expect(verify.stdout).toMatch(/2_role: deploy failed: \S+2_role.sql:6:13: invalid input syntax for type integer: ":pw"/);
    // The history holds the files as written: the first file's revert, its variables named.
    await sqlmig(['up', '--to', '1_schema', '--dir', dir, ...server], { env });
    const status = await Promise.all([run('status', ...server), run('status', ...server, '--json')]);
    status.forEach(expectNoCanary);
    expect(JSON.stringify(await db.query('SELECT * FROM sqlmig.migrations'))).not.toContain(SCHEMA);
  });

  it('new --vars and --repeatable write the header', async () => {
    const run = await sqlmig(['new', 'app/reporting', '--dir', dir, '--vars', 'app_schema,reader_role', '--repeatable']);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'app/reporting.sql'), 'utf8')).toMatch(/^-- repeatable: yes\n-- vars: app_schema, reader_role\n/);
    const bad = await sqlmig(['new', 'x', '--dir', dir, '--vars', '9lives']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"9lives" in --vars is not a variable name');
    writeFileSync(join(dir, 'app/reporting.sql'), '-- repeatable: yes\n-- vars: app_schema\nCREATE VIEW :app_schema.v AS SELECT 1;\n-- revert:\nDROP VIEW :app_schema.v;\n');
    expect((await sqlmig(['graph', '--dir', dir])).stdout).toBe('1. app/reporting  (repeatable)\n');
  });
});
