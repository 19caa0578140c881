// .env files: read from the working directory or --env-file, filling only what the environment leaves unset; values never printed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

function project(files: Record<string, string>): string {
  return writeFiles(tempDir('env-file-'), { 'm/1_a.sql': 'CREATE TABLE a (id INTEGER);\n-- revert:\nDROP TABLE a;\n', ...files });
}

describe('.env files', () => {
  it('fill what the environment leaves unset; the environment wins; --env-file names others, the first one wins', async () => {
    const cwd = project({
      '.env': '# local settings\nexport SQLMIG_DIR=m\nDATABASE_URL="sqlite:${SQLMIG_DIR}-dotenv.db"\n',
      'ci.env': 'DATABASE_URL=sqlite:ci.db\nSQLMIG_DIR=m\n',
      'other.env': 'DATABASE_URL=sqlite:other.db\n',
    });
    expect((await sqlmig(['up'], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, 'm-dotenv.db'))).toBe(true);

    expect((await sqlmig(['up'], { cwd, env: { DATABASE_URL: 'sqlite:environment.db' } })).code).toBe(0);
    expect(existsSync(join(cwd, 'environment.db'))).toBe(true);

    expect((await sqlmig(['up', '--env-file', 'ci.env', '--env-file', 'other.env'], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, 'ci.db'))).toBe(true);
    expect(existsSync(join(cwd, 'other.db'))).toBe(false);

    const none = await sqlmig(['graph', '--no-env-file'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('migrations folder ./migrations does not exist');
  });

  it('a malformed line is an input error at its line; no value is ever printed', async () => {
    const cwd = project({ '.env': 'SQLMIG_DIR=m\nhunter2-not-a-line\nDATABASE_URL=\'postgres://app:s3cret-pw@127.0.0.1:1/app\n' });
    const bad = await sqlmig(['status'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('.env:2:1 error[env-file]: not a KEY=VALUE line');
    expect(bad.stderr).toContain('.env:3:14 error[env-file]: a \' quote that is never closed');
    expect(bad.stderr).toContain('sqlmig: 2 errors');
    expect(`${bad.stdout}${bad.stderr}`).not.toMatch(/hunter2|s3cret/);

    const cwd2 = project({ '.env': 'SQLMIG_DIR=m\nDATABASE_URL=postgres://app:s3cret-pw@127.0.0.1:1/app\n' });
    const refused = await sqlmig(['status'], { cwd: cwd2 });
    expect(refused.code).toBe(3);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('s3cret');

    // Node.js 20 itself looks for every --env-file of the command line, the script's too, and exits 9 on a missing one.
    const missing = await sqlmig(['status', '--env-file', 'nope.env'], { cwd: cwd2 });
    expect([2, 9]).toContain(missing.code);
    expect(missing.stderr).toMatch(/nope\.env: (no such file|not found)/);
  });
});
