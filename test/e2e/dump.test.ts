// sqlmig dump and up --dump as a user runs them: stdout or a file, psql loads it back, a database not created yet dumps empty.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlmig } from '../helpers/cli.js';
import { freshMysql, freshPostgres, mysqlUrl, postgresUrl, schemaOf, type TestDatabase } from '../helpers/databases.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';

const RICH = fileURLToPath(new URL('../fixtures/dump-rich', import.meta.url));
const RICH_MYSQL = fileURLToPath(new URL('../fixtures/dump-rich-mysql', import.meta.url));
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

describe.skipIf(!mysqlUrl)('sqlmig dump on MariaDB', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => { for (const db of opened) await db.close(); });

  /** The mysql client, as a user loads a dump. */
  const mysqlClient = (db: TestDatabase, file: string) => {
    const url = new URL(db.url!.replace(/^mariadb:/i, 'mysql:'));
    execFileSync('mysql', [`-u${decodeURIComponent(url.username)}`, `-h${url.hostname}`, `-P${url.port || '3306'}`,
      ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : []), url.pathname.slice(1)], { input: readFileSync(file), stdio: ['pipe', 'ignore', 'pipe'] });
  };

  it('the mysql client and sqlmig up load the file into empty databases, which dump the same and have the same snapshot', async () => {
    const [source, byClient, bySqlmig] = [await freshMysql(), await freshMysql(), await freshMysql()];
    opened.push(source, byClient, bySqlmig);
    const cwd = tempDir('dump-');
    const up = await sqlmig(['up', '--dir', RICH_MYSQL, '--db', source.url!, '--dump', 'schema.sql'], { cwd });
    expect(up.code).toBe(0);
    const file = readFileSync(join(cwd, 'schema.sql'), 'utf8');
    // No owner and no counter; the view that reads the other and the trigger that fires second come second.
    expect(file).not.toMatch(/DEFINER=|\) ENGINE=.*AUTO_INCREMENT=|sqlmig_migrations/);
    expect(file).toContain("COMMENT 'AUTO_INCREMENT=1 is not a table option'");
    expect(file.indexOf('VIEW `z_team_labels`')).toBeLessThan(file.indexOf('VIEW `a_long_team_labels`'));
    expect(file.indexOf('TRIGGER b_lower_email')).toBeLessThan(file.indexOf('TRIGGER a_trim_email'));
    expect(file).toContain("DELIMITER $$\nCREATE PROCEDURE `count_to`(IN n INT)");
    expect(file.indexOf('EVENT `once`')).toBeLessThan(file.indexOf('EVENT `purge_blank_emails`'));
    expect(file.indexOf('TRIGGER a_trim_email')).toBeLessThan(file.indexOf('EVENT `once`'));

    mysqlClient(byClient, join(cwd, 'schema.sql'));
    const again = await sqlmig(['dump', '--dir', RICH_MYSQL, '--db', byClient.url!], { cwd });
    expect(again.code).toBe(0);
    expect(statementsOf(again.stdout)).toBe(statementsOf(file));
    expect(again.stdout).toContain('-- Applied migrations: none.');
    expect(await schemaOf(byClient)).toEqual(await schemaOf(source));

    // The file is a migration sqlmig can apply, DELIMITER lines included.
    const asMigration = writeFiles(tempDir(), { '001_schema.sql': file });
    expect((await sqlmig(['up', '--dir', asMigration, '--db', bySqlmig.url!])).code).toBe(0);
    expect(statementsOf((await sqlmig(['dump', '--dir', asMigration, '--db', bySqlmig.url!])).stdout)).toBe(statementsOf(file));
    expect(await schemaOf(bySqlmig)).toEqual(await schemaOf(source));
  });

  it('names what it does not write yet (MariaDB\'s sequences), on stderr and in --json', async () => {
    const db = await freshMysql();
    opened.push(db);
    await db.query('CREATE SEQUENCE ticket_numbers');
    const dir = tempDir();
    const r = await sqlmig(['dump', '--dir', dir, '--db', db.url!]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: sqlmig dump does not write sequence ticket_numbers yet');
    expect(r.stdout).not.toContain('ticket_numbers');
    expect(JSON.parse((await sqlmig(['dump', '--dir', dir, '--db', db.url!, '--json'])).stdout).skipped).toEqual(['sequence ticket_numbers']);
  });
});
