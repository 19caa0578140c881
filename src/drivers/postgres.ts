// The PostgreSQL driver, on node-postgres. `pg` is imported only when a postgres:// URL is used.
import type pg from 'pg';
import { ConnectionError, UsageError } from '../errors.js';
import { SQLMIG_VERSION } from '../version.js';
import type { DatabaseFailure, DatabaseNotice, Driver, Row, ScriptOutcome, Session } from './driver.js';
import { pgDump } from './pg-dump.js';
import { PgHistory } from './pg-history.js';
import { pgPrepareSnapshots, pgSnapshot } from './pg-snapshot.js';
import { AdvisoryLock, beginSql, ensurePgSchema, pgFailureOf, quoteIdent, RESET_SESSION_SQL, sessionSettingsSql, type ExtraSettings } from './pg-sql.js';
import { tlsHintOf, tlsPlanOf } from './pg-ssl.js';
import { pgMissingObjectOf, pgServerScratch } from './pg-verify.js';
import { passwordsOf, redactUrl, scrub } from './url.js';

const CONNECT_TIMEOUT_MS = 10_000;

export async function createPostgresDriver(url: string): Promise<Driver> {
  const { default: pgModule } = await importPg();
  const secrets = passwordsOf(url);
  // sslmode and friends as libpq means them; node-postgres would read sslmode=require as verify-full.
  const tls = tlsPlanOf(url);
  let config: pg.ClientConfig = {
    connectionString: tls.connectionString, application_name: 'sqlmig', connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(tls.ssl !== undefined && { ssl: tls.ssl }),
  };
  let probe: pg.Client;
  try {
    // Resolves URL, PG* variables and defaults the way connect() will, without connecting.
    probe = new pgModule.Client(config);
  } catch (error) {
    throw new UsageError(`invalid database URL ${redactUrl(url)}: ${scrub((error as Error).message, [...secrets, url])}`, {
      hint: 'the form is postgres://USER:PASSWORD@HOST:PORT/DATABASE; percent-encode special characters in the password',
    });
  }
  const target = { host: probe.host, port: probe.port, database: probe.database, user: probe.user, sslmode: tls.mode };
  const display = `postgres://${target.user ? `${encodeURIComponent(target.user)}@` : ''}${target.host}:${target.port}/${target.database ?? ''}`;
  const failureOf = (error: unknown): DatabaseFailure | undefined => {
    const f = pgFailureOf(error);
    return f && { ...f, message: scrub(f.message, secrets), detail: f.detail && scrub(f.detail, secrets) };
  };

  // Set once connected: whether the server can notice a vanished client mid-statement (PostgreSQL 14+).
  let extra: ExtraSettings = {};

  const driver: Driver = {
    dialect: 'postgres',
    capabilities: { transactionalDdl: true, cancel: true },
    display,
    async connect(): Promise<Session> {
      let client: pg.Client;
      try {
        client = await openClient(pgModule, config);
      } catch (error) {
        // sslmode=prefer or allow: the other way, as libpq tries it; what works is kept for later connections.
        if (!tls.fallback?.when(error)) throw connectionError(error, display, target, secrets);
        const other = { ...config, ssl: tls.fallback.ssl };
        client = await openClient(pgModule, other).catch((again: unknown) => { throw connectionError(again, display, target, secrets); });
        config = other;
      }
      const version = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);
      // If sqlmig is killed mid-migration, the server rolls back and frees the lock within a second
      // instead of when the statement ends (it would otherwise notice only when it next writes to us).
      if (version >= 140000) extra = { client_connection_check_interval: 1000 };
      return new PgSession(client, () => new pgModule.Client(config), countingQueryClass(pgModule), secrets);
    },
    history: (session, schema) => new PgHistory(session, schema, SQLMIG_VERSION),
    lock: (session, schema) => new AdvisoryLock(session, schema),
    beginSql: (settings) => beginSql(settings, extra),
    sessionSettingsSql: (settings) => sessionSettingsSql(settings, extra),
    resetSql: () => RESET_SESSION_SQL,
    failureOf,
    scratchDatabases: () => pgServerScratch(driver, url, createPostgresDriver),
    snapshot: pgSnapshot,
    prepareSnapshots: pgPrepareSnapshots,
    dump: pgDump,
    missingObjectOf: pgMissingObjectOf,
    ensureSchema: ensurePgSchema,
  };
  return driver;
}

/** One connection; a failed attempt is closed, not left behind. */
async function openClient(pgModule: typeof pg, config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pgModule.Client(config);
  // A server that goes away emits 'error' on the client; the running query fails with it too.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** A query that counts the statements the server completed, so a failing script says which statement failed. */
interface CountingQuery extends pg.Query {
  completed: number;
}

type CountingQueryClass = new (sql: string, callback: (error: Error | undefined) => void) => CountingQuery;

function countingQueryClass(pgModule: typeof pg): CountingQueryClass {
  // handleCommandComplete is pg's hook for each CommandComplete message of a query.
  const Base = pgModule.Query as unknown as new (sql: string, callback: (error: Error | undefined) => void) => pg.Query & {
    handleCommandComplete(message: unknown, connection: unknown): void;
  };
  return class extends Base {
    completed = 0;
    override handleCommandComplete(message: unknown, connection: unknown): void {
      this.completed++;
      super.handleCommandComplete(message, connection);
    }
  };
}

/**
 * pg asks at load time whether it runs in a Cloudflare Worker. Where `navigator` is missing (Node 20)
 * it builds a `Response` to find out, which loads Node's whole fetch implementation (10–15 ms of every
 * run). A `navigator` that answers the question exists for the duration of the import only.
 */
async function importPg(): Promise<{ default: typeof pg }> {
  if ('navigator' in globalThis) return import('pg');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true });
  try {
    return await import('pg');
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

class PgSession implements Session {
  private noticeListener?: (notice: DatabaseNotice) => void;

  constructor(
    private readonly client: pg.Client, private readonly newClient: () => pg.Client, private readonly Counting: CountingQueryClass,
    secrets: string[],
  ) {
    client.on('notice', (notice) => this.noticeListener?.(noticeOf(notice, secrets)));
  }

  setNoticeListener(listener: ((notice: DatabaseNotice) => void) | undefined): void {
    this.noticeListener = listener;
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.client.query(sql, params as unknown[]);
    return result.rows as T[];
  }

  async execute(sql: string): Promise<void> {
    // No parameters: the simple query protocol, which accepts several statements.
    await this.client.query(sql);
  }

  executeScript(sql: string): Promise<ScriptOutcome> {
    return new Promise((resolve) => {
      const query: CountingQuery = new this.Counting(sql, (error) => resolve({ completed: query.completed, error: error ?? undefined }));
      this.client.query(query);
    });
  }

  async cancel(): Promise<void> {
    // A cancel request must come from another connection; pg_cancel_backend asks the server for it.
    const pid = (this.client as unknown as { processID?: number }).processID;
    if (!pid) return;
    const other = this.newClient();
    other.on('error', () => undefined);
    try {
      await other.connect();
      await other.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

function noticeOf(notice: { severity?: string; message?: string; detail?: string; hint?: string }, secrets: string[]): DatabaseNotice {
  return {
    severity: notice.severity ?? 'NOTICE', message: scrub(notice.message ?? '', secrets),
    detail: notice.detail && scrub(notice.detail, secrets), hint: notice.hint,
  };
}

function connectionError(
  error: unknown, display: string, target: { host: string; port: number; database?: string; user?: string; sslmode?: string }, secrets: string[],
): ConnectionError {
  const e = error as Error & { code?: string };
  const where = `host ${target.host}, port ${target.port}, database ${target.database ?? '(default)'}${target.sslmode ? `, sslmode ${target.sslmode}` : ''}`;
  const reason = scrub(e.message || String(e.code ?? error), secrets);
  const hints: Record<string, string> = {
    ECONNREFUSED: 'is the server running and accepting TCP connections on that host and port?',
    ENOTFOUND: 'check the host name',
    EAI_AGAIN: 'check the host name and the network',
    ETIMEDOUT: 'the server did not answer in time: check host, port and firewall',
    '28P01': 'check the user and password (URL, PGPASSWORD or ~/.pgpass)',
    '3D000': 'create the database first (createdb), or fix the name in the URL',
  };
  const timedOut = /timeout/i.test(e.message ?? '');
  const hint = tlsHintOf(error, target.host) ?? (e.code === '28000' ? refusalHint(e.message ?? '')
    : hints[e.code ?? ''] ?? (timedOut ? hints.ETIMEDOUT : 'check the URL and that the server is reachable'));
  // A server not there yet (not listening, starting up, name not resolvable yet) may answer later: --connect-wait.
  const notYet = timedOut || UNREACHABLE.has(e.code ?? '') || /terminated unexpectedly/i.test(e.message ?? '');
  return new ConnectionError(`cannot connect to ${display} (${where}): ${reason}`, { hint, code: notYet ? 'unreachable' : 'connection' });
}

/** SQLSTATE 28000 is three different refusals; only one of them is pg_hba.conf's to fix. */
function refusalHint(message: string): string {
  const missing = /role "(.*)" does not exist/.exec(message);
  if (missing) return `create the role (CREATE ROLE ${quoteIdent(missing[1])} LOGIN), or connect as another user (the user in the URL, or PGUSER)`;
  const nologin = /role "(.*)" is not permitted to log in/.exec(message);
  if (nologin) return `let the role log in (ALTER ROLE ${quoteIdent(nologin[1])} LOGIN), or connect as another user (the user in the URL, or PGUSER)`;
  return 'the server refused this user from this host (pg_hba.conf)';
}

/** Socket errors, 57P03 "the database system is starting up" and 53300 "too many clients". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P03', '53300']);
