import { describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

describe('sqlmig verify', () => {
  it('passes on the example project (exit 0)', async () => {
    const r = await sqlmig(['verify', '--dir', 'migrations-example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sqlmig verify on an in-memory PGlite: 11 of 11 migrations round-trip/);
  });

  it('exits 8 on a revert that does not restore the schema, with the difference; --json too', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE users (id int);\n-- revert:\nDROP TABLE users;\n',
      'b.sql': '-- requires: a\nALTER TABLE users ADD COLUMN email text;\n-- revert:\nSELECT 1;\n',
    });
    const r = await sqlmig(['verify', '--dir', dir]);
    expect(r.code).toBe(8);
    expect(r.stdout).toContain('FAIL         b: the revert does not restore the schema\n             column public.users.email: still present after revert\n');
    expect(r.stdout).toMatch(/1 of 2 migrations round-trip .*; 1 failure\n$/);
    const json = JSON.parse((await sqlmig(['verify', '--dir', dir, '--json'])).stdout);
    expect(json.results[1]).toMatchObject({ name: 'b', status: 'revert-incomplete', differences: [{ object: 'column public.users.email', change: 'still present' }] });
  });

  it('exits 8 on a missing requires with --isolation, naming the file to require', async () => {
    const dir = writeFiles(tempDir(), {
      'a.sql': 'CREATE TABLE users (id int);\n-- revert:\nDROP TABLE users;\n',
      'b.sql': 'CREATE INDEX users_id ON users (id);\n-- revert:\nDROP INDEX users_id;\n',
    });
    const r = await sqlmig(['verify', '--isolation', '--dir', dir]);
    expect(r.code).toBe(8);
    expect(r.stdout).toContain(`MISSING      b: ${dir}/b.sql:1:1: relation "users" does not exist; add "-- requires: a" (it creates users)`);
  });
});
