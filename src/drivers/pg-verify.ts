// What `sqlmig verify` needs of the PostgreSQL family: scratch databases and missing objects (snapshots: pg-snapshot.ts).
import type { Extension, PGlite } from '@electric-sql/pglite';
import { embeddedTemplate } from '../embedded-template.js';
import type { DatabaseFailure, Driver, ScratchDatabases } from './driver.js';
import { quoteIdent } from './pg-sql.js';
import { serverScratch } from './server-scratch.js';

/** SQLSTATEs of "this object does not exist": undefined table, column, function, object (type), schema. */
const UNDEFINED = new Set(['42P01', '42703', '42883', '42704', '3F000']);

/** `relation "app.users" does not exist` -> `app.users`; `function app.f(integer) does not exist` -> `app.f`. */
export function pgMissingObjectOf({ sqlstate, message }: DatabaseFailure): string | undefined {
  if (!sqlstate || !UNDEFINED.has(sqlstate)) return undefined;
  const quoted = /"([^"]+)" does not exist/.exec(message);
  if (quoted) return quoted[1];
  const fn = /function ([\w."]+)\(/.exec(message);
  return fn ? fn[1].replace(/"/g, '') : undefined;
}

/**
 * Each scratch PGlite loads an empty database — the build's template, else a dump of the first one,
 * which alone runs initdb (seconds) — in about a second, so --isolation can afford a fresh database
 * where it needs one.
 */
export function pgliteScratch(several: boolean, driverOf: (db: PGlite) => Driver, extensions: Record<string, Extension> = {}): ScratchDatabases {
  let template: Blob | undefined = embeddedTemplate();
  return {
    display: 'an in-memory PGlite',
    async create() {
      const { PGlite } = await import('@electric-sql/pglite');
      const db: PGlite = new PGlite({ ...(template && { loadDataDir: template }), extensions });
      await db.waitReady;
      if (several) template ??= await db.dumpDataDir('none');
      const driver = driverOf(db);
      return { driver, session: await driver.connect(), dispose: () => db.close() };
    },
    async close() {},
  };
}

/** `CREATE DATABASE … TEMPLATE template0` per scratch, dropped afterwards (FORCE ends stray sessions). */
export function pgServerScratch(admin: Driver, url: string, open: (url: string) => Promise<Driver>): Promise<ScratchDatabases> {
  return serverScratch(admin, {
    createSql: (name) => `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`,
    dropSql: (name) => `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
    urlOf: (name) => { const target = new URL(url); target.pathname = `/${name}`; return target.toString(); },
    refusedHint: 'verify --db needs a role allowed to create databases (CREATEDB); or drop --db to verify on an in-memory PGlite',
    unusedScratchSql: `SELECT datname AS name FROM pg_database d WHERE datname LIKE 'sqlmig\\_verify\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)`,
  }, open);
}
