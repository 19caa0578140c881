// URL scheme -> driver, each imported only when its scheme is used (no `pg` load for a PGlite or SQLite URL).
import type { DialectName } from '../core/dialect.js';
import { UsageError } from '../errors.js';
import type { Driver } from './driver.js';
import { redactUrl, schemeOf } from './url.js';

/** With no --db and no DATABASE_URL: an embedded PostgreSQL in the working directory. */
export const DEFAULT_DATABASE_URL = 'pglite:.sqlmig/pglite';

export interface OpenDriverOptions {
  /** How long to wait for a database that another process holds (PGlite's data directory, a busy SQLite file). */
  lockWaitMs: number;
  /** Extensions the project's files create: an embedded engine loads them before the first statement. */
  extensions?: readonly string[];
}

/** The dialect of a URL's engine, known without opening it (files are parsed before any connection). */
export function dialectOfUrl(url: string): DialectName {
  switch (schemeOf(url)) {
    case 'sqlite':
      return 'sqlite';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'postgres':
    case 'postgresql':
    case 'pglite':
      return 'postgres';
    default:
      throw unsupported(url);
  }
}

/** Where `verify` makes scratch databases of a dialect when no server is named: in memory. */
export function embeddedScratchUrl(dialect: DialectName): string {
  if (dialect === 'mysql') {
    throw new UsageError('verify on a MySQL or MariaDB project needs a server: there is no embedded MySQL', {
      hint: 'give --db mysql://USER@HOST:3306/DATABASE: scratch databases are created there and dropped afterwards',
    });
  }
  return dialect === 'sqlite' ? 'sqlite:memory' : 'pglite:memory';
}

export async function openDriver(url: string, options: OpenDriverOptions): Promise<Driver> {
  switch (schemeOf(url)) {
    case 'postgres':
    case 'postgresql':
      return (await import('./postgres.js')).createPostgresDriver(url);
    case 'pglite':
      return (await import('./pglite.js')).createPgliteDriver(url, options);
    case 'sqlite':
      return (await import('./sqlite.js')).createSqliteDriver(url, options);
    case 'mysql':
    case 'mariadb':
      return (await import('./mysql.js')).createMysqlDriver(url);
    default:
      throw unsupported(url);
  }
}

function unsupported(url: string): UsageError {
  return new UsageError(`unsupported database URL ${redactUrl(url)}`, {
    hint: 'use postgres://USER@HOST:PORT/DATABASE, pglite:PATH, pglite:memory, sqlite:PATH, sqlite:memory or mysql://USER@HOST:PORT/DATABASE',
  });
}
