import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

describe('sqlmig lint', () => {
  it('finds the example project clean (exit 0)', async () => {
    const r = await sqlmig(['lint', '--dir', 'migrations-example']);
    expect(r).toMatchObject({ code: 0, stdout: 'sqlmig lint: no breaking changes in 11 migrations\n' });
  });

  it('reports findings as path:line:col warning[rule] with the safe way, exit 7; --json and --show-allowed', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE t (id int, a int);\n-- revert:\nDROP TABLE t;\n',
      'b.sql': '-- requires: a\n-- allow: truncate\nTRUNCATE t;\nALTER TABLE t DROP COLUMN a;\n-- revert:\n',
    });
    const r = await sqlmig(['lint', '--dir', dir]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain(`${dir}/b.sql:4:1 warning[drop-column]: drops column t.a\n  why: `);
    expect(r.stdout).toContain('  fix: ship an application version that no longer uses the column');
    expect(r.stdout).not.toContain('TRUNCATE');
    expect(r.stdout).toMatch(/sqlmig lint: 1 breaking change in 1 migration \(1 allowed\)\n$/);
    expect((await sqlmig(['lint', '--dir', dir, '--show-allowed'])).stdout).toContain('allowed[truncate]: TRUNCATE t');
    const json = JSON.parse((await sqlmig(['lint', '--dir', dir, '--json'])).stdout);
    expect(json.findings.map((f: { rule: string }) => f.rule)).toEqual(['drop-column']);
    expect(json.allowed.map((f: { rule: string }) => f.rule)).toEqual(['truncate']);
  });

  it('exits 2 on a syntax error and on an unknown rule in allow', async () => {
    const syntax = await sqlmig(['lint', '--dir', writeFiles(tempDir(), { 'a.sql': 'SELEC 1;\n-- revert:\n' })]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toContain('a.sql:1:1 error[syntax-error]: a: syntax error at or near "SELEC"');
    const unknown = await sqlmig(['lint', '--dir', writeFiles(tempDir(), { 'a.sql': '-- allow: drop-everything\nSELECT 1;\n' })]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error[unknown-rule]');
  });

  it('counts in up --dry-run\'s lint line only the pending files, not those applied', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE t (id int, a int);\nDROP TABLE IF EXISTS legacy;\n-- revert:\nDROP TABLE t;\n',
      'b.sql': '-- requires: a\nALTER TABLE t DROP COLUMN a;\n-- revert:\n',
    });
    const db = `pglite:${tempDir()}/db`;
    expect((await sqlmig(['up', '--to', 'a', '--dir', dir, '--db', db])).code).toBe(0);
    const r = await sqlmig(['up', '--dry-run', '--dir', dir, '--db', db]);
    expect(r.stdout).toMatch(/\nlint: 1 breaking change in the pending migrations \(drop-column\); run sqlmig lint for details\n$/);
  });

  it('ends up --dry-run with a one-line summary of the pending files', async () => {
    const dir = writeFiles(tempDir(), { 'a.sql': 'CREATE TABLE t (id int);\n-- revert:\nDROP TABLE t;\n', 'b.sql': '-- requires: a\nDROP TABLE t;\n-- revert:\n' });
    const r = await sqlmig(['up', '--dir', dir, '--dry-run', '--db', 'pglite:memory']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nlint: 1 breaking change in the pending migrations \(drop-table\); run sqlmig lint for details\n$/);
  });
});

/**
 * 5 MB in about 80,000 statements, non-ASCII throughout, and a breaking change at the end of the last
 * line. Linear work takes seconds; were positions counted from the start of the section for every
 * statement again, this would run for minutes and into the test's time limit.
 */
describe('sqlmig lint on a 5 MB migration', () => {
  const dir = tempDir();
  const lines = ['CREATE TABLE t (id int PRIMARY KEY, note text);'];
  for (let size = 0, i = 0; size < 5 * 1024 * 1024; i++) {
    lines.push(`INSERT INTO t VALUES (${i}, 'ünïcødé 𝄞 note ${i}');`);
    size += Buffer.byteLength(lines[lines.length - 1]) + 1;
  }
  const last = "INSERT INTO t VALUES (-1, '𝄞é'); ";
  lines.push(`${last}DROP TABLE legacy;`);
  writeFiles(dir, { 'big.sql': `${lines.join('\n')}\n-- revert:\nDROP TABLE t;\n` });
  // Line and column of DROP: columns count code points, not UTF-16 units or bytes.
  const where = `${dir}/big.sql:${lines.length}:${[...last].length + 1}`;

  it('lints it in linear time and places the finding at its line and column', async () => {
    const r = await sqlmig(['lint', '--dir', dir]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain(`${where} warning[drop-table]: drops table legacy`);
  });

  it('runs up --dry-run on it in linear time', async () => {
    const r = await sqlmig(['up', '--dry-run', '--dir', dir, '--db', 'pglite:memory']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nlint: 1 breaking change in the pending migrations \(drop-table\); run sqlmig lint for details\n$/);
  });

  it('ends at once on SIGTERM while up --dry-run lints it: no handler waits behind the CPU-bound lint', async () => {
    // The big file recorded as applied: the dry run prints only the small one, then lints both.
    const withPending = writeFiles(tempDir(), { 'big.sql': readFileSync(join(dir, 'big.sql')), 'z.sql': 'CREATE TABLE z (id int);\n-- revert:\nDROP TABLE z;\n' });
    const db = `pglite:${tempDir()}/db`;
    expect((await sqlmig(['up', '--log-only', '--to', 'big', '--dir', withPending, '--db', db])).code).toBe(0);
    let stdout = '';
    const r = await sqlmig(['up', '--dry-run', '--dir', withPending, '--db', db], {
      onSpawn: (child) => child.stdout!.on('data', (d) => {
        stdout += d;
        if (stdout.includes('\ndry run: ')) child.kill('SIGTERM');
      }),
    });
    expect(r.signal).toBe('SIGTERM');
    expect(r.stdout).toContain('\ndry run: 1 migration would be applied');
    expect(r.stdout).not.toContain('\nlint: ');
  });
});
