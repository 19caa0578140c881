import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const EXAMPLE = 'migrations-example';

describe('sqlmig graph', () => {
  it('prints the example project in its one order', async () => {
    const r = await sqlmig(['graph', '--dir', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.replace(/^\s*\d+\. (\S+).*$/, '$1'));
    expect(names).toEqual([
      'core/001_schema', 'billing/001_plans', 'core/002_touch_updated_at', 'core/003_users', 'core/004_teams',
      'billing/002_subscriptions', 'billing/003_invoices', 'billing/004_invoices_due_index', 'core/005_memberships',
      'billing/005_team_revenue_view', 'core/006_users_display_name',
    ]);
  });

  it('prints the documented JSON', async () => {
    const r = await sqlmig(['graph', '--dir', EXAMPLE, '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.migrations[8]).toEqual({
      name: 'core/005_memberships',
      path: 'migrations-example/core/005_memberships.sql',
      requires: ['core/003_users', 'core/004_teams'],
      transaction: true,
      reversible: true,
      repeatable: false,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(json.migrations.find((m: { name: string }) => m.name === 'billing/004_invoices_due_index').transaction).toBe(false);
    expect((await sqlmig(['graph', '--dir', EXAMPLE, '--json'])).stdout).toBe(r.stdout);
  });

  it('prints dot and mermaid', async () => {
    const dot = await sqlmig(['graph', '--dir', EXAMPLE, '--format', 'dot']);
    expect(dot.stdout).toContain('"core/003_users" -> "core/005_memberships";');
    const mermaid = await sqlmig(['graph', '--dir', EXAMPLE, '--format', 'mermaid']);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).toContain('m1 --> m2');
  });

  it('shows the dependents of a name, and what a name requires', async () => {
    const deps = await sqlmig(['graph', '--dir', EXAMPLE, '--dependents', 'core/004_teams', '--format', 'json']);
    expect(JSON.parse(deps.stdout).migrations.map((m: { name: string }) => m.name)).toEqual([
      'core/004_teams', 'billing/002_subscriptions', 'billing/003_invoices', 'billing/004_invoices_due_index',
      'core/005_memberships', 'billing/005_team_revenue_view',
    ]);
    const reqs = await sqlmig(['graph', '--dir', EXAMPLE, '--requires-of', 'core/005_memberships', '--json']);
    expect(JSON.parse(reqs.stdout).migrations.map((m: { name: string }) => m.name)).toEqual([
      'core/001_schema', 'core/002_touch_updated_at', 'core/003_users', 'core/004_teams', 'core/005_memberships',
    ]);
    const unknown = await sqlmig(['graph', '--dir', EXAMPLE, '--dependents', 'nope']);
    expect(unknown.code).toBe(2);
  });

  it('reports every problem of a folder in one run, each at path:line:col, exit 2', async () => {
    const dir = tempDir();
    cpSync('test/fixtures/all-errors', dir, { recursive: true });
    // Made here rather than committed: a case-only duplicate cannot be checked out on every file system.
    writeFiles(dir, {
      'APP/users.sql': 'select 1;\n',
      'm_invalid_utf8.sql': new Uint8Array([...Buffer.from("select 1;\nselect '"), 0xc3, 0x28, 0x27, 0x3b]),
      'n_nul.sql': 'select\u00001;\n',
    });
    const r = await sqlmig(['graph', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const found = [...r.stderr.matchAll(/^(\S+?):(\d+):(\d+) (error|warning)\[([a-z0-9-]+)\]/gm)]
      .map((m) => `${m[1].slice(dir.length + 1)}:${m[2]}:${m[3]} ${m[5]}`);
    expect(found).toEqual([
      'a_unknown.sql:1:25 unknown-require',
      'app/users.sql:1:1 duplicate-name',
      'b_self.sql:1:14 self-require',
      'c_cycle_1.sql:1:14 cycle',
      'd_two_reverts.sql:4:1 duplicate-marker',
      'e_misspelt.sql:1:4 misspelt-directive',
      'f_below_header.sql:2:1 directive-below-header',
      'g_commit.sql:2:1 transaction-control',
      'h_psql.sql:2:1 psql-meta-command',
      'i_unterminated.sql:2:8 unterminated-string',
      'j_no_colon.sql:2:1 marker-without-colon',
      'l_empty.sql:2:1 empty-deploy',
      'm_invalid_utf8.sql:2:9 invalid-utf8',
      'n_nul.sql:1:7 nul-byte',
    ]);
    // A space in the file name: matched separately since the path holds one.
    expect(r.stderr).toContain('k bad name.sql:1:1 error[invalid-name]');
    expect(r.stderr).toContain('requires cycle: c_cycle_1 -> c_cycle_2 -> c_cycle_1');
    expect(r.stderr).toContain('hint: did you mean "requires:"?');
    expect(r.stderr).toMatch(/sqlmig: 14 errors, 1 warning\n$/);
  });

  it('prints errors as JSON with --json', async () => {
    const dir = writeFiles(tempDir(), { 'a.sql': '-- requires: b\nselect 1;' });
    const r = await sqlmig(['graph', '--dir', dir, '--json']);
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: 'invalid-input', exitCode: 2, diagnostics: [{ code: 'unknown-require', position: { line: 1, column: 14 } }] });
  });

  it('fails on a missing folder (exit 2) and prints nothing for an empty one (exit 0)', async () => {
    const missing = await sqlmig(['graph', '--dir', 'no/such/folder']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('migrations folder no/such/folder does not exist');
    const empty = await sqlmig(['graph', '--dir', tempDir()]);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
  });

  it('ignores dotfiles, _drafts, editor backups and other extensions', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'select 1;\n-- revert:\n', '.hidden.sql': 'x', '_drafts/b.sql': 'x', '.git/c.sql': 'x', 'a.sql~': 'x',
      '.a.sql.swp': 'x', '#a.sql#': 'x', 'README.md': 'x', 'sub/.#lock.sql': 'x',
    });
    const r = await sqlmig(['graph', '--dir', dir]);
    expect(r.stdout).toBe('1. a\n');
  });

  it('reads --dir from SQLMIG_DIR and from sqlmig.config.json, flags first', async () => {
    const cwd = writeFiles(tempDir(), {
      'sqlmig.config.json': '{"dir": "from-config"}', 'from-config/c.sql': 'select 1;\n-- revert:\n',
      'from-env/e.sql': 'select 1;\n-- revert:\n', 'from-flag/f.sql': 'select 1;\n-- revert:\n',
    });
    expect((await sqlmig(['graph'], { cwd })).stdout).toBe('1. c\n');
    expect((await sqlmig(['graph'], { cwd, env: { SQLMIG_DIR: 'from-env' } })).stdout).toBe('1. e\n');
    expect((await sqlmig(['graph', '--dir', 'from-flag'], { cwd, env: { SQLMIG_DIR: 'from-env' } })).stdout).toBe('1. f\n');
    writeFiles(cwd, { 'sqlmig.config.json': '{"dri": "x"}' });
    const bad = await sqlmig(['graph'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option "dri"');
  });

  it('exits quietly when the reader stops early (sqlmig graph | head)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`m${String(i).padStart(4, '0')}_${'a_long_descriptive_migration_name_'.repeat(3)}.sql`] = 'SELECT 1;\n-- revert:\n';
    const dir = writeFiles(tempDir(), files);
    const r = await sqlmig(['graph', '--dir', dir], { onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects unknown commands and options with exit 2', async () => {
    expect((await sqlmig(['grpah'])).code).toBe(2);
    expect((await sqlmig(['graph', '--formt', 'dot'])).code).toBe(2);
    expect((await sqlmig([])).code).toBe(2);
  });
});

describe('sqlmig new', () => {
  it('creates a file with header and revert marker that graph accepts', async () => {
    const dir = writeFiles(tempDir(), { 'app/users.sql': 'select 1;' });
    const r = await sqlmig(['new', 'app/orders', '--requires', 'app/users', '--dir', dir]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'app/orders.sql'), 'utf8');
    expect(text).toMatch(/^-- requires: app\/users\n/);
    expect(text).toMatch(/\n-- revert:\n/);
    const g = await sqlmig(['graph', '--dir', dir, '--json']);
    expect(JSON.parse(g.stdout).migrations.map((m: { name: string }) => m.name)).toEqual(['app/users', 'app/orders']);
  });

  it('never overwrites, and checks the name and the requires', async () => {
    const dir = writeFiles(tempDir(), { 'a.sql': 'select 1;' });
    const again = await sqlmig(['new', 'A', '--dir', dir]);
    expect(again.code).toBe(2);
    expect(readFileSync(join(dir, 'a.sql'), 'utf8')).toBe('select 1;');
    const bad = await sqlmig(['new', 'has space', '--requires', 'b,a', '--dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid migration name');
    expect(bad.stderr).toContain('unknown migration "b"');
  });
});
