// Extensions on the embedded database: the ones a project's files create are loaded before they run;
// one PGlite lacks is an input error at its CREATE EXTENSION, before anything is created.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionsCreatedBy, loadProject } from '../../src/index.js';
import { sqlmig } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const EXTENSIONS = {
  '01_ext.sql': [
    'CREATE EXTENSION IF NOT EXISTS citext;', 'CREATE EXTENSION pg_trgm;', 'create extension "uuid-ossp";',
    'CREATE EXTENSION ltree;', 'CREATE EXTENSION hstore;', 'CREATE EXTENSION intarray;', 'CREATE EXTENSION pgcrypto;',
    '-- revert:', 'DROP EXTENSION pgcrypto, intarray, hstore, ltree, "uuid-ossp", pg_trgm, citext;', '',
  ].join('\n'),
  '02_use.sql': [
    '-- requires: 01_ext',
    "CREATE TABLE users (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), email citext UNIQUE, path ltree, tags hstore,",
    "  token text DEFAULT encode(gen_random_bytes(8), 'hex'));",
    "CREATE INDEX users_email_trgm ON users USING gin ((email::text) gin_trgm_ops);",
    "INSERT INTO users (email, path, tags) VALUES ('A@Example.com', 'top.child', 'a=>1');",
    '-- revert:', 'DROP TABLE users;', '',
  ].join('\n'),
};

describe('extensions on the embedded database', () => {
  it('finds CREATE EXTENSION statements, quoted names and IF NOT EXISTS included', async () => {
    const dir = writeFiles(tempDir(), EXTENSIONS);
    const project = await loadProject(dir);
    expect(extensionsCreatedBy(project.order, project.dialect).map((u) => `${u.name}@${u.position.line}:${u.position.column}`))
      .toEqual(['citext@1:32', 'pg_trgm@2:18', 'uuid-ossp@3:18', 'ltree@4:18', 'hstore@5:18', 'intarray@6:18', 'pgcrypto@7:18']);
  });

  it('loads the contrib extensions the files create, so they apply, verify and revert', async () => {
    const dir = writeFiles(tempDir(), EXTENSIONS);
    const db = `pglite:${join(tempDir(), 'db')}`;
    const up = await sqlmig(['up', '--dir', dir, '--db', db]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/2 migrations applied/);
    const verify = await sqlmig(['verify', '--dir', dir]);
    expect(verify.code).toBe(0);
    const down = await sqlmig(['down', '--all', '--dir', dir, '--db', db]);
    expect(down.code).toBe(0);
  });

  it('reports an extension PGlite lacks at its line, with the way out, and creates nothing', async () => {
    const dir = writeFiles(tempDir(), { '01_gis.sql': '-- A map.\nCREATE EXTENSION IF NOT EXISTS postgis;\n-- revert:\nDROP EXTENSION postgis;\n' });
    const folder = join(tempDir(), 'db');
    const r = await sqlmig(['up', '--dir', dir, '--db', `pglite:${folder}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir}/01_gis.sql:2:32 error[extension-unavailable]: extension "postgis" is not available on pglite:${folder}`);
    expect(r.stderr).toContain('--db postgres://');
    expect(existsSync(folder)).toBe(false);
  });
});
