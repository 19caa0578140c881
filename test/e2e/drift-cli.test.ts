// Drift through the CLI on PostgreSQL: a legacy history upgraded, --allow-drift warnings, resolve --accept and --renamed-to.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { legacyChecksum } from '../../src/core/checksum.js';
import { freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const table = (n: string) => `CREATE TABLE ${n} (id int);\n-- revert:\nDROP TABLE ${n};\n`;

describe.skipIf(!postgresUrl)('drift (CLI on PostgreSQL)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => { db = await freshPostgres(); dir = tempDir(); });
  afterEach(async () => { await db.close(); });
  const run = (...args: string[]) => sqlmig([...args, '--dir', dir, '--db', db.url!]);
  const checksums = async () => (await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM sqlmig.migrations ORDER BY seq'))
    .map((r) => `${r.name}:${r.checksum}`);

  it('takes a history an earlier release wrote: no drift, each row upgraded to today\'s checksum by up', async () => {
    writeFiles(dir, { 'a.sql': '-- requires: x\nCREATE TABLE a (id int);\n-- revert:\nDROP TABLE a;\n', 'x.sql': table('x') });
    // An earlier release applied x and a; its rows hold the legacy checksum.
    expect((await run('up', '--to', 'x')).code).toBe(0);
    await db.query('CREATE TABLE a (id int)');
    await db.query(`UPDATE sqlmig.migrations SET checksum = $1`, [legacyChecksum([], true, 'CREATE TABLE x (id int);\n')]);
    await db.query(`INSERT INTO sqlmig.migrations (name, seq, checksum, requires, revert_sql, status, duration_ms, sqlmig_version)
                    VALUES ('a', 2, $1, '{x}', 'DROP TABLE a;\n', 'applied', 1, '0.0.9')`, [legacyChecksum(['x'], true, 'CREATE TABLE a (id int);\n')]);
    const legacy = await checksums();
    const status = await run('status', '--exit-code');
    expect(status.code).toBe(0);
    expect(await checksums()).toEqual(legacy);
    const up = await run('up');
    expect(up).toMatchObject({ code: 0, stderr: '' });
    expect(up.stdout).toBe('nothing to do: every migration is applied\n');
    const files = JSON.parse((await run('status', '--json')).stdout).migrations as { name: string; fileChecksum: string; state: string }[];
    expect(files.map((m) => m.state)).toEqual(['applied', 'applied']);
    expect(await checksums()).toEqual(files.map((m) => `${m.name}:${m.fileChecksum}`));
    expect(await db.query(`SELECT sqlmig_version FROM sqlmig.migrations WHERE name = 'a'`)).not.toEqual([{ sqlmig_version: '0.0.9' }]);
  });

  it('--allow-drift prints each drifted or missing file as one warning line, and in --json warnings', async () => {
    writeFiles(dir, { 'a.sql': table('a'), 'b.sql': table('b'), 'c.sql': table('c') });
    await run('up');
    writeFileSync(join(dir, 'a.sql'), table('a').replace('id int', 'id bigint'));
    rmSync(join(dir, 'b.sql'));
    writeFiles(dir, { 'd.sql': table('d') });
    const text = await run('up', '--allow-drift');
    expect(text.code).toBe(0);
    const lines = text.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${dir}/a\\.sql:1:1 warning\\[drift\\]: "a" was edited after it was applied \\(applied [0-9a-f]{12}, file now [0-9a-f]{12}\\)$`)),
      expect.stringMatching(/^warning\[missing-file\]: "b" is applied \(checksum [0-9a-f]{12}\) but its file is gone$/),
    ]);
    writeFiles(dir, { 'e.sql': table('e') });
    const json = await run('up', '--allow-drift', '--json');
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.steps.map((s: { name: string }) => s.name)).toEqual(['e']);
    expect(result.warnings.map((w: { severity: string; code: string }) => `${w.severity}[${w.code}]`)).toEqual(['warning[drift]', 'warning[missing-file]']);
  });

  it('resolve --accept records an edit; with nothing to accept it says so and exits 0; on a pending file, exit 2', async () => {
    writeFiles(dir, { 'a.sql': table('a') });
    await run('up');
    writeFileSync(join(dir, 'a.sql'), 'CREATE TABLE a (id int PRIMARY KEY);\n-- revert:\nDROP TABLE a;\n');
    expect((await run('up')).code).toBe(5);
    const accepted = await run('resolve', 'a', '--accept');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^a: edit accepted \(checksum [0-9a-f]{12} -> [0-9a-f]{12}\)\n$/);
    expect((await run('up')).code).toBe(0);
    const again = await run('resolve', 'a', '--accept', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ resolved: 'a', as: 'accepted', changed: false });
    expect((await run('resolve', 'a', '--accept')).stdout).toBe('a: nothing to accept: the file matches its history\n');
    writeFiles(dir, { 'p.sql': table('p') });
    const pending = await run('resolve', 'p', '--accept');
    expect(pending.code).toBe(2);
    expect(pending.stderr).toContain('"p" is not applied: there is no edit to accept');
    const both = await run('resolve', 'a', '--accept', '--reverted');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--reverted and --accept cannot be combined');
  });

  it('names a likely rename in status and up (exit 5); resolve --renamed-to follows it', async () => {
    writeFiles(dir, { '001_users.sql': table('users') });
    await run('up');
    mkdirSync(join(dir, 'core'));
    renameSync(join(dir, '001_users.sql'), join(dir, 'core/001_users.sql'));
    const status = await run('status');
    expect(status.stdout).toMatch(/^pending +core\/001_users +renamed from 001_users\?\n/);
    expect(status.stdout).toMatch(/\nmissing +001_users +\S+ \S+ file gone; renamed to core\/001_users\? \(sqlmig resolve 001_users --renamed-to core\/001_users\)\n/);
    const up = await run('up');
    expect(up.code).toBe(5);
    expect(up.stderr).toContain(`${dir}/core/001_users.sql:1:1 error[renamed-file]: "001_users" is applied but its file is gone, and the pending "core/001_users" holds the same deploy section: renamed?`);
    expect(up.stderr).toContain('hint: if it was renamed, run "sqlmig resolve 001_users --renamed-to core/001_users"');
    const resolved = await run('resolve', '001_users', '--renamed-to', 'core/001_users');
    expect(resolved).toMatchObject({ code: 0, stdout: '001_users renamed to core/001_users in the history, in its place\n' });
    expect((await run('up')).stdout).toBe('nothing to do: every migration is applied\n');
    expect(await db.query('SELECT name, seq::int FROM sqlmig.migrations')).toEqual([{ name: 'core/001_users', seq: 1 }]);
  });
});
