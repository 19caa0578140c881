// URL scheme -> driver, each imported only when its scheme is used (no `pg` load for a PGlite URL).
import { UsageError } from '../errors.js';
import type { Driver } from './driver.js';
import { redactUrl, schemeOf } from './url.js';

/** With no --db and no DATABASE_URL: an embedded PostgreSQL in the working directory. */
export const DEFAULT_DATABASE_URL = 'pglite:.sqlmig/pglite';

export interface OpenDriverOptions {
  /** How long to wait for a database that another process holds (PGlite's data directory). */
  lockWaitMs: number;
}

export async function openDriver(url: string, options: OpenDriverOptions): Promise<Driver> {
  switch (schemeOf(url)) {
    case 'postgres':
    case 'postgresql':
      return (await import('./postgres.js')).createPostgresDriver(url);
    case 'pglite':
      return (await import('./pglite.js')).createPgliteDriver(url, options);
    default:
      throw new UsageError(`unsupported database URL ${redactUrl(url)}`, {
        hint: 'use postgres://USER@HOST:PORT/DATABASE, pglite:PATH or pglite:memory',
      });
  }
}
