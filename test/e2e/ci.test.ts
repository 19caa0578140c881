// What a pull request's CI job runs: lint and verify of what it adds (--since), lint as GitHub annotations and as SARIF.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=sqlmig', '-c', 'user.email=sqlmig@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' });

/**
 * A repository with two commits: the first holds a, b and old (a file about to be renamed); the
 * second edits b, adds c and renames old to renamed. Then, uncommitted: d, untracked.
 */
function repository(): string {
  const root = tempDir();
  writeFiles(root, {
    'migrations/a.sql': 'CREATE TABLE t (id int, a int, b int);\n-- revert:\nDROP TABLE t;\n',
    'migrations/b.sql': '-- requires: a\nALTER TABLE t DROP COLUMN a;\n-- revert:\nALTER TABLE t ADD COLUMN a int;\n',
    'migrations/old.sql': '-- requires: a\nDROP TABLE IF EXISTS legacy;\n-- revert:\n',
    'README.md': 'notes\n',
  });
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'first');
  writeFiles(root, {
    'migrations/b.sql': '-- requires: a\n-- Drops a.\nALTER TABLE t DROP COLUMN a;\n-- revert:\nALTER TABLE t ADD COLUMN a int;\n',
    'migrations/c.sql': '-- requires: b\nALTER TABLE t DROP COLUMN b;\n-- revert:\nALTER TABLE t ADD COLUMN b int;\n',
    'README.md': 'more notes\n',
  });
  renameSync(join(root, 'migrations/old.sql'), join(root, 'migrations/renamed.sql'));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'second');
  writeFiles(root, { 'migrations/d.sql': '-- requires: c\nDROP TABLE t;\n-- revert:\nCREATE TABLE t (id int);\n' });
  return root;
}

describe('--since GIT_REF', () => {
  const root = repository();

  it('lint checks the files added or changed since the ref, and untracked ones; not renamed ones', async () => {
    const r = await sqlmig(['lint', '--since', 'HEAD~1', '--json'], { cwd: root });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout).findings.map((f: { migration: string; rule: string }) => `${f.migration}:${f.rule}`))
      .toEqual(['b:drop-column', 'c:drop-column', 'd:drop-table']);
    const text = await sqlmig(['lint', '--since', 'HEAD'], { cwd: root });
    expect(text.stdout).toMatch(/^\.\/migrations\/d\.sql:2:1 warning\[drop-table\]: drops table t\n/);
    expect(text.stdout).toMatch(/sqlmig lint: 1 breaking change in 1 migration\n$/);
  });

  it('verify round-trips only those files and applies the others', async () => {
    const r = await sqlmig(['verify', '--since', 'HEAD~1'], { cwd: root });
    expect(r.stdout).toContain('note         b: the revert restores the schema but for cosmetic differences\n');
    expect(r.stdout).not.toMatch(/^ok +a$/m);
    expect(r.stdout).toMatch(/: 3 of 3 migrations round-trip .*, 1 with cosmetic differences only .*; 2 other migrations not checked\n$/);
    expect(r.code).toBe(0);
  });

  it('also on a --dir below the working directory, and with --isolation', async () => {
    const r = await sqlmig(['verify', '--since', 'HEAD~1', '--isolation', '--dir', 'migrations', '--json'], { cwd: root });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { name: string; status: string }) => `${x.name}:${x.status}`)).toEqual(['b:ok', 'c:ok', 'd:ok']);
  });

  it('is a usage error outside a git work tree, and with an unknown ref (exit 2)', async () => {
    const outside = writeFiles(tempDir(), { 'migrations/a.sql': 'SELECT 1;\n-- revert:\n' });
    for (const command of ['lint', 'verify']) {
      const r = await sqlmig([command, '--since', 'main'], { cwd: outside });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--since main needs a git work tree, and ${outside} is not inside one`);
    }
    const unknown = await sqlmig(['lint', '--since', 'no-such-branch'], { cwd: root });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--since: unknown git ref "no-such-branch"');
  });
});

describe('lint NAME… and verify NAME…', () => {
  it('check only the migrations named (or given as file paths); an unknown name is a usage error with a suggestion', async () => {
    const root = repository();
    const r = await sqlmig(['lint', 'c', 'migrations/d.sql', '--json'], { cwd: root });
    expect(JSON.parse(r.stdout).findings.map((f: { migration: string }) => f.migration)).toEqual(['c', 'd']);
    const unknown = await sqlmig(['verify', 'cc', 'zzz'], { cwd: root });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('not a migration of ./migrations: "cc" (did you mean "c"?), "zzz"');
  });
});

/**
 * The SARIF 2.1.0 schema as OASIS publishes it (sarif-2.1/schema/sarif-schema-2.1.0.json of
 * github.com/oasis-tcs/sarif-spec, a JSON Schema draft-04 document), with its formats checked.
 */
const sarifSchema = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url)), 'utf8'));
const ajv = new AjvDraft04({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

/** Every way `log` breaks the schema, as `instancePath: message`. */
function sarifProblems(log: unknown): string[] {
  return validateSarif(log) ? [] : (validateSarif.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}

describe('lint --format github and sarif', () => {
  // A folder whose name holds ':' and ',' (escaped in annotation properties) and a table whose name holds '%'.
  const cwd = tempDir();
  const dir = join(cwd, 'db:1,2');
  mkdirSync(dir);
  writeFiles(dir, {
    'a.sql': 'CREATE TABLE t (id int, a int);\nCREATE TABLE "50%_off" (id int);\n-- revert:\nDROP TABLE t;\n',
    'b.sql': '-- requires: a\n-- allow: truncate\nTRUNCATE t;\nALTER TABLE t DROP COLUMN a;\n-- revert:\n',
    'c.sql': '-- requires: a\nDROP TABLE "50%_off";\n-- revert:\n',
  });
  writeFileSync(join(cwd, 'sqlmig.config.json'), JSON.stringify({ dir: 'db:1,2' }));

  it('github: one workflow command per finding, properties and message escaped; the summary on stderr', async () => {
    const r = await sqlmig(['lint', '--format', 'github', '--show-allowed'], { cwd });
    expect(r.code).toBe(7);
    expect(r.stdout.split('\n')).toEqual([
      '::warning file=db%3A1%2C2/b.sql,line=4,col=1,title=sqlmig drop-column::drops column t.a'
        + '%0Awhy: running application versions still select or insert the column; their queries fail'
        + '%0Afix: ship an application version that no longer uses the column (and stop writing it), then drop it in a later migration (-- allow: drop-column)',
      '::warning file=db%3A1%2C2/c.sql,line=2,col=1,title=sqlmig drop-table::drops table 50%25_off'
        + '%0Awhy: the running application still reads or writes the table; its queries fail the moment it is gone'
        + '%0Afix: ship an application version that no longer uses the table, then drop it in a later migration (-- allow: drop-table)',
      '::notice file=db%3A1%2C2/b.sql,line=3,col=1,title=sqlmig truncate (allowed)::TRUNCATE t',
      '',
    ]);
    expect(r.stderr).toBe('sqlmig lint: 2 breaking changes in 2 migrations (1 allowed)\n');
  });

  it('github: a section that does not parse is an ::error (exit 2)', async () => {
    const broken = writeFiles(tempDir(), { 'a.sql': 'SELEC 1;\n-- revert:\n' });
    const r = await sqlmig(['lint', '--format', 'github', '--dir', broken], { cwd: broken });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`::error file=a.sql,line=1,col=1,title=sqlmig syntax-error::a: syntax error at or near "SELEC"%0A`
      + 'the PostgreSQL parser rejects this section; sqlmig up would fail on it\n');
  });

  it('sarif: a SARIF 2.1.0 log with every rule, and each finding at its file, line and column', async () => {
    const r = await sqlmig(['lint', '--format', 'sarif'], { cwd });
    expect(r.code).toBe(7);
    const log = JSON.parse(r.stdout);
    expect(sarifProblems(log)).toEqual([]);
    const [run] = log.runs;
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain('drop-column');
    expect(run.results.map((x: any) => [x.ruleId, run.tool.driver.rules[x.ruleIndex].id, x.level, x.locations[0].physicalLocation, x.suppressions]))
      .toEqual([
        ['drop-column', 'drop-column', 'warning', { artifactLocation: { uri: 'db%3A1%2C2/b.sql' }, region: { startLine: 4, startColumn: 1 } }, undefined],
        ['drop-table', 'drop-table', 'warning', { artifactLocation: { uri: 'db%3A1%2C2/c.sql' }, region: { startLine: 2, startColumn: 1 } }, undefined],
        ['truncate', 'truncate', 'warning', { artifactLocation: { uri: 'db%3A1%2C2/b.sql' }, region: { startLine: 3, startColumn: 1 } },
          [{ kind: 'inSource', justification: '-- allow: truncate' }]],
      ]);
  });

  it('sarif: the validator rejects what the schema rejects', () => {
    const problems = sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal', message: {}, extra: 1 }] }] });
    expect(problems).toEqual(expect.arrayContaining([
      "/runs/0/tool/driver: must have required property 'name'",
      '/runs/0/results/0/level: must be equal to one of the allowed values',
      '/runs/0/results/0: must NOT have additional properties',
    ]));
  });

  it('--json with another --format is a usage error', async () => {
    const r = await sqlmig(['lint', '--format', 'sarif', '--json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('--json and --format sarif ask for two outputs');
  });
});
