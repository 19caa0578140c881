// SQL text helpers for the PostgreSQL family: identifier quoting, session settings, lock keys, errors.
import { sha256Hex } from '../core/checksum.js';
import type { DatabaseFailure, MigrationLock, Session, SessionSettings } from './driver.js';

/** Quotes an identifier: any text is safe inside double quotes once its own quotes are doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a text literal. The E'' form, with backslashes doubled, reads the same whatever
 * standard_conforming_strings is; a literal without backslashes needs only its quotes doubled.
 */
export function quoteLiteral(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** Extra numeric settings a server supports (e.g. client_connection_check_interval on PostgreSQL 14+). */
export type ExtraSettings = Record<string, number>;

export function beginSql(settings: SessionSettings, extra: ExtraSettings = {}): string {
  return `BEGIN; ${settingsSql('SET LOCAL', settings, extra)}`;
}

export function sessionSettingsSql(settings: SessionSettings, extra: ExtraSettings = {}): string {
  return settingsSql('SET', settings, extra);
}

function settingsSql(set: string, { lockTimeoutMs, statementTimeoutMs, searchPath }: SessionSettings, extra: ExtraSettings): string {
  const all: ExtraSettings = { lock_timeout: lockTimeoutMs, statement_timeout: statementTimeoutMs, ...extra };
  // Names are ours and values numbers only, so inlining them is safe.
  const numbers = Object.entries(all).map(([name, value]) => `${set} ${name} = ${Math.floor(value)};`).join(' ');
  // Schema names are quoted identifiers. Every step sets the path again at its start, so the reset
  // after a step (RESET ALL) never leaves a migration statement on the server's default path.
  return searchPath && searchPath.length > 0 ? `${numbers} ${set} search_path = ${searchPath.map(quoteIdent).join(', ')};` : numbers;
}

/** Creates a schema unless it exists: CREATE SCHEMA IF NOT EXISTS would demand CREATE on the database even then. */
export async function ensurePgSchema(session: Session, schema: string): Promise<void> {
  const found = await session.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
  if (found.length === 0) await session.execute(`CREATE SCHEMA ${quoteIdent(schema)}`);
}

/**
 * Undoes what a migration may have changed in the session (search_path, role, settings, temp tables,
 * prepared statements) without DISCARD ALL, which would also release the session's advisory lock.
 */
export const RESET_SESSION_SQL = 'RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL; DEALLOCATE ALL; CLOSE ALL; DISCARD TEMP;';

/** The advisory lock key of a history schema: 64 bits of sha256, so two schemas never share a lock. */
export function lockKey(schema: string): bigint {
  return BigInt.asIntN(64, BigInt(`0x${sha256Hex(`sqlmig:${schema}`).slice(0, 16)}`));
}

/** A session-level advisory lock, taken on the run's one session. */
export class AdvisoryLock implements MigrationLock {
  private readonly key: string;
  private readonly classid: string;
  private readonly objid: string;

  constructor(private readonly session: Session, schema: string) {
    const key = lockKey(schema);
    this.key = key.toString();
    // pg_locks shows a bigint key as two oids: high and low 32 bits.
    const unsigned = BigInt.asUintN(64, key);
    this.classid = (unsigned >> 32n).toString();
    this.objid = (unsigned & 0xffffffffn).toString();
  }

  async tryAcquire(): Promise<boolean> {
    const [row] = await this.session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key]);
    return row.ok;
  }

  async describeHolder(): Promise<string | undefined> {
    const rows = await this.session.query<{ pid: number; application_name: string; usename: string }>(
      `SELECT a.pid, a.application_name, a.usename
         FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid = $1::oid AND l.objid = $2::oid AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`,
      [this.classid, this.objid]);
    const h = rows[0];
    if (!h) return undefined;
    return `pid ${h.pid}, application_name "${h.application_name}", user ${h.usename}`;
  }

  async release(): Promise<boolean> {
    const [row] = await this.session.query<{ ok: boolean }>('SELECT pg_advisory_unlock($1::bigint) AS ok', [this.key]);
    return row.ok;
  }
}

/** pg and PGlite both throw errors shaped like PostgreSQL's ErrorResponse. */
export function pgFailureOf(error: unknown): DatabaseFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { code?: unknown; position?: unknown; detail?: unknown; hint?: unknown; where?: unknown; severity?: unknown };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const position = e.position === undefined || e.position === null ? undefined : Number(e.position);
  return {
    message: e.message,
    sqlstate: e.code,
    position: position !== undefined && Number.isFinite(position) && position > 0 ? position : undefined,
    detail: typeof e.detail === 'string' ? e.detail : undefined,
    hint: typeof e.hint === 'string' ? e.hint : undefined,
    where: typeof e.where === 'string' ? e.where : undefined,
  };
}
