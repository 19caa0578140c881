// What `sqlmig verify` needs of the PostgreSQL family: scratch databases, schema snapshots, missing objects.
import type { Extension, PGlite } from '@electric-sql/pglite';
import type { Snapshot, SnapshotFields } from '../core/snapshot.js';
import { embeddedTemplate } from '../embedded-template.js';
import type { DatabaseFailure, Driver, ScratchDatabases, Session } from './driver.js';
import { FIELDS_SQL, KEYS_SQL } from './pg-snapshot-sql.js';
import { quoteIdent, quoteLiteral } from './pg-sql.js';
import { serverScratch } from './server-scratch.js';

/** Per session: each object of the last snapshot, its stamp and its fields. */
const described = new WeakMap<Session, Map<string, { stamp: string; fields: SnapshotFields }>>();

const KEYS_STATEMENT = 'sqlmig_snapshot_keys';

/**
 * The schema as data. Every object's key and stamp are listed (a prepared statement: planned once
 * per session); only objects whose stamps changed since the session's last snapshot are described
 * again (see pg-snapshot-sql.ts). A file changes a few objects of a schema of thousands.
 */
export async function pgSnapshot(session: Session, historySchema: string): Promise<Snapshot> {
  // A session reset (DEALLOCATE ALL) drops the statement; PREPARE is not undone by a rollback.
  const prepared = await session.query('SELECT 1 FROM pg_prepared_statements WHERE name = $1', [KEYS_STATEMENT]);
  if (prepared.length === 0) await session.execute(`PREPARE ${KEYS_STATEMENT}(text) AS ${KEYS_SQL}`);
  const [{ objects }] = await session.query<{ objects: string | ObjectRow[] | null }>(`EXECUTE ${KEYS_STATEMENT}(${quoteLiteral(historySchema)})`);
  const rows = (typeof objects === 'string' ? JSON.parse(objects) as ObjectRow[] : objects ?? []).map(([part, oid, key, stamp, position]) => ({
    part, oid, key, stamp, position,
  }));
  const last = described.get(session) ?? new Map<string, { stamp: string; fields: SnapshotFields }>();
  const stale = new Map<number, Set<number>>();
  for (const r of rows) {
    if (last.get(r.key)?.stamp !== r.stamp) stale.set(r.part, (stale.get(r.part) ?? new Set()).add(r.oid));
  }
  const fresh = new Map<string, SnapshotFields>();
  for (const [part, oids] of stale) {
    const rows = await session.query<{ key: string; fields: Json }>(FIELDS_SQL[part], [historySchema, [...oids]]);
    for (const d of rows) fresh.set(d.key, textFields(d.fields!));
  }
  const now = new Map<string, { stamp: string; fields: SnapshotFields }>();
  const snapshot = new Map<string, SnapshotFields>();
  for (const r of rows) {
    const fields = fresh.get(r.key) ?? last.get(r.key)?.fields;
    if (!fields) throw new Error(`snapshot: ${r.key} was listed but not described`);
    now.set(r.key, { stamp: r.stamp, fields });
    snapshot.set(r.key, r.position === null ? fields : { position: String(r.position), ...fields });
  }
  described.set(session, now);
  return snapshot;
}

type Json = string | Record<string, unknown> | null;
/** [part, oid, key, stamp, position]: see KEYS_SQL. */
type ObjectRow = [number, number, string, string, number | null];

/** JSON's numbers and booleans as the text the server would print (`true`, `2`). */
function textFields(json: Exclude<Json, null>): SnapshotFields {
  const fields = typeof json === 'string' ? JSON.parse(json) as Record<string, unknown> : json;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)]));
}

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
