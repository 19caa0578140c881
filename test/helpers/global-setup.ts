// Once per test run: a PGlite template (initdb costs seconds and hundreds of MB; loading a dump ~1 s),
// and the PostgreSQL and MariaDB checks (a missing server is a failure under CI=true, a loud skip elsewhere).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { embeddedTemplate } from '../../src/embedded-template.js';
import { lacking } from './lacking.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresUrl: string | null;
    /** The MariaDB (or MySQL) server's URL, its database the one test databases are created from; null when none answers. */
    mysqlUrl: string | null;
    /** A folder for the run's temporary files, removed when the run ends. */
    tmpRoot: string;
  }
}

/** A role without any privilege beyond its own databases: the suite must pass as it too. */
export const TEST_USER = 'sqlmig_test_user';
/** A role that must authenticate with a password (scripts/setup-test-postgres.sh adds the rule). */
export const CANARY_USER = 'sqlmig_password_canary';
export const CANARY_RIGHT_PASSWORD = 'right-password';

export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'sqlmig-test-'));
  project.provide('pgliteTemplate', await pgliteTemplate(root));
  project.provide('tmpRoot', root);
  project.provide('postgresUrl', await findPostgres());
  project.provide('mysqlUrl', await findMysql());
  return () => rmSync(root, { recursive: true, force: true });
}

/** The build's empty-database template (npm test builds first), or one made here when it is missing. */
async function pgliteTemplate(root: string): Promise<string> {
  const built = fileURLToPath(new URL('../../dist/pglite-template.tar.gz', import.meta.url));
  if (embeddedTemplate(new URL('../../dist/', import.meta.url))) return built;
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  await db.waitReady;
  const dump = await db.dumpDataDir('none');
  await db.close();
  const template = join(root, 'pglite-template.tar');
  writeFileSync(template, Buffer.from(await dump.arrayBuffer()));
  return template;
}

async function findPostgres(): Promise<string | null> {
  const url = process.env.SQLMIG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    // Roles shared by every test file, made once here (CREATE ROLE has no IF NOT EXISTS).
    for (const role of [`${TEST_USER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`, `${CANARY_USER} LOGIN NOSUPERUSER`]) {
      const name = role.split(' ')[0];
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE ROLE ${role}`);
    }
    await client.query(`ALTER ROLE ${CANARY_USER} PASSWORD '${CANARY_RIGHT_PASSWORD}'`);
    await client.end();
    return url;
  } catch (error) {
    const reason = `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} is not reachable: ${(error as Error).message}`;
    // No Docker engine answers on these machines, so there is no container to fall back to.
    lacking(reason, 'every PostgreSQL test. Start PostgreSQL or set SQLMIG_TEST_DATABASE_URL.');
    return null;
  }
}

async function findMysql(): Promise<string | null> {
  const url = process.env.SQLMIG_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
  const { default: mysql } = await import('mysql2/promise');
  try {
    const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/i, 'mysql:'), connectTimeout: 5000 });
    await connection.query('SELECT 1');
    await connection.end();
    return url;
  } catch (error) {
    const reason = `MariaDB at ${url.replace(/:[^:@/]*@/, ':***@')} is not reachable: ${(error as Error).message}`;
    lacking(reason, 'every MySQL/MariaDB test. Start MariaDB or set SQLMIG_TEST_MYSQL_URL.');
    return null;
  }
}
