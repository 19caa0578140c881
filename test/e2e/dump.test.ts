// sqlmig dump and up --dump as a user runs them: stdout or a file, psql loads it back, a database not created yet dumps empty.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { freshPostgres, postgresUrl, type TestDatabase } from '../helpers/databases.js';
import { tempDir } from '../helpers/tmp.js';

const RICH = fileURLToPath(new URL('../fixtures/dump-rich', import.meta.url));
const SQLITE_EXAMPLE = fileURLToPath(new URL('../../migrations-example-sqlite', import.meta.url));
const statementsOf = (sql: string) => sql.slice(0, sql.indexOf('-- Applied migrations'));

describe('sqlmig dump on SQLite', () => {
  it('up --dump writes the file, dump prints the same; --json; a database not created yet dumps empty', async () => {
    const cwd = tempDir('dump-');
    const cli = (args: string[]) => sqlmig([...args, '--dir', SQLITE_EXAMPLE, '--db', 'sqlite:app.db'], { cwd });
    const up = await cli(['up', '--dump', 'schema.sql']);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('wrote the schema of sqlite:app.db to schema.sql (6 applied migrations)');
    const file = readFileSync(join(cwd, 'schema.sql'), 'utf8');
    expect(file).toMatch(/^-- Schema dumped by sqlmig[\s\S]*CREATE TABLE accounts[\s\S]*-- Applied migrations, in order of application:\n--   001_accounts\n/);
    expect(file).not.toContain('sqlmig_migrations');

    const printed = await cli(['dump']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(file);
    const json = JSON.parse((await cli(['dump', '--json'])).stdout);
    expect(json).toMatchObject({ database: 'sqlite:app.db', sql: file, skipped: [] });
    expect(json.applied).toHaveLength(6);

    const empty = await sqlmig(['dump', '--dir', SQLITE_EXAMPLE, '--db', 'sqlite:none.db'], { cwd });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('-- Applied migrations: none.');
    expect(existsSync(join(cwd, 'none.db'))).toBe(false);

    expect((await cli(['up', '--dry-run', '--dump', 'x.sql'])).code).toBe(2);
  });
});

describe.skipIf(!postgresUrl)('sqlmig dump on PostgreSQL', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => { for (const db of opened) await db.close(); });

  it('psql -f loads the file into an empty database, whose dump has the same statements', async () => {
    const [source, target] = [await freshPostgres(), await freshPostgres()];
    opened.push(source, target);
    const cwd = tempDir('dump-');
    expect((await sqlmig(['up', '--dir', RICH, '--db', source.url!, '--dump', 'schema.sql'], { cwd })).code).toBe(0);
    const file = readFileSync(join(cwd, 'schema.sql'), 'utf8');
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url!, '-f', join(cwd, 'schema.sql')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const again = await sqlmig(['dump', '--dir', RICH, '--db', target.url!], { cwd });
    expect(again.code).toBe(0);
    expect(statementsOf(again.stdout)).toBe(statementsOf(file));
    expect(again.stdout).toContain('-- Applied migrations: none.');
  });
});
