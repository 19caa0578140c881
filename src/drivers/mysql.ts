// The MySQL and MariaDB driver, on mysql2: `mysql://` and `mariadb://`. mysql2 is imported only for these schemes.
import type { Connection, ConnectionOptions, ExecuteValues } from 'mysql2/promise';
import { ConnectionError, UsageError } from '../errors.js';
import type { DatabaseFailure, DatabaseNotice, Driver, Row, Session, SessionSettings } from './driver.js';
import { MysqlHistory } from './mysql-history.js';
import { quoteIdent } from './mysql-sql.js';
import { NamedLock } from './mysql-lock.js';
import { mysqlMissingObjectOf, mysqlScratch, mysqlSnapshot } from './mysql-verify.js';
import { passwordsOf, redactUrl, scrub } from './url.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** Where a URL points: connection options for mysql2, and the database the history lives in. */
export interface MysqlTarget {
  options: ConnectionOptions;
  database: string;
  display: string;
}

export function mysqlTarget(url: string): MysqlTarget {
  let parsed: URL;
  try {
    // mysql2 reads only mysql://; mariadb:// is the same protocol.
    parsed = new URL(url.replace(/^mariadb:/i, 'mysql:'));
  } catch {
    throw new UsageError(`invalid database URL ${redactUrl(url)}`, { hint: 'the form is mysql://USER:PASSWORD@HOST:PORT/DATABASE' });
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '') {
    throw new UsageError(`the URL ${redactUrl(url)} names no database`, {
      hint: 'name the database the migrations and the history live in: mysql://USER@HOST:3306/DATABASE',
    });
  }
  const user = decodeURIComponent(parsed.username) || 'root';
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || 3306);
  return {
    database,
    display: `${url.slice(0, url.indexOf(':')).toLowerCase()}://${encodeURIComponent(user)}@${host}:${port}/${database}`,
    options: {
      host, port, user, password: decodeURIComponent(parsed.password) || undefined, database,
      // Sections run one statement at a time, but BEGIN and the run's settings ride along with the first.
      multipleStatements: true, connectTimeout: CONNECT_TIMEOUT_MS, dateStrings: false, supportBigNumbers: true,
      // Named locks and session settings belong to one connection: never a pool.
      charset: 'utf8mb4_unicode_ci',
    },
  };
}

export async function createMysqlDriver(url: string): Promise<Driver> {
  const target = mysqlTarget(url);
  const secrets = passwordsOf(url);
  const { default: mysql } = await import('mysql2/promise');
  // Set once connected: MariaDB bounds any statement with max_statement_time (s), MySQL SELECTs with max_execution_time (ms).
  let mariadb = false;

  const open = async (options: ConnectionOptions): Promise<Connection> => {
    try {
      return await mysql.createConnection(options);
    } catch (error) {
      throw connectionError(error, target, secrets);
    }
  };

  const driver: Driver = {
    dialect: 'mysql',
    // DDL commits implicitly: a file holding DDL runs statement by statement, with the history marking each.
    capabilities: { transactionalDdl: false, cancel: true },
    display: target.display,
    async connect(): Promise<Session> {
      const connection = await open(target.options);
      const [rows] = await connection.query('SELECT VERSION() AS version');
      mariadb = /mariadb/i.test(String((rows as Row[])[0].version));
      return new MysqlSession(connection, () => open(target.options));
    },
    history: (session, schema) => new MysqlHistory(session, schema),
    lock: (session, schema) => new NamedLock(session, target.database, schema),
    beginSql: (settings) => `${settingsSql(settings, mariadb)} START TRANSACTION;`,
    sessionSettingsSql: (settings) => settingsSql(settings, mariadb),
    resetSql: () => `USE ${quoteIdent(target.database)};`,
    failureOf: (error) => {
      const f = mysqlFailureOf(error);
      return f && { ...f, message: scrub(f.message, secrets) };
    },
    scratchDatabases: async () => mysqlScratch(driver, url, createMysqlDriver),
    snapshot: mysqlSnapshot,
    missingObjectOf: mysqlMissingObjectOf,
  };
  return driver;
}

/**
 * lock_wait_timeout is whole seconds (at least 1; 0 means "the server's default", one year). MariaDB's
 * max_statement_time bounds every statement; MySQL's max_execution_time only SELECTs (documented).
 */
function settingsSql({ lockTimeoutMs, statementTimeoutMs }: SessionSettings, mariadb: boolean): string {
  const lockWait = lockTimeoutMs > 0 ? Math.max(1, Math.ceil(lockTimeoutMs / 1000)) : 31_536_000;
  const statement = mariadb
    ? `SET SESSION max_statement_time = ${statementTimeoutMs / 1000};`
    : `SET SESSION max_execution_time = ${Math.floor(statementTimeoutMs)};`;
  return `SET SESSION lock_wait_timeout = ${lockWait}; ${statement}`;
}

/** mysql2's errors carry errno, SQLSTATE and the server's message. */
export function mysqlFailureOf(error: unknown): DatabaseFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { errno?: unknown; sqlState?: unknown; sqlMessage?: unknown; code?: unknown };
  if (typeof e.errno !== 'number' || typeof e.sqlState !== 'string') return undefined;
  const message = typeof e.sqlMessage === 'string' ? e.sqlMessage : e.message;
  return { message, sqlstate: e.sqlState, detail: `errno ${e.errno}${typeof e.code === 'string' ? ` (${e.code})` : ''}` };
}

class MysqlSession implements Session {
  constructor(private readonly connection: Connection, private readonly openOther: () => Promise<Connection>) {
    // A server that goes away emits 'error'; the running query fails with it too.
    connection.on('error', () => undefined);
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    // Server-side prepared statements: names and SQL text travel as bind parameters.
    const [rows] = params.length > 0 ? await this.connection.execute(sql, params as ExecuteValues[]) : await this.connection.query(sql);
    return rows as T[];
  }

  async execute(sql: string): Promise<void> {
    await this.connection.query(sql);
  }

  setNoticeListener(_listener: ((notice: DatabaseNotice) => void) | undefined): void {
    // MySQL sends warnings only as a count; SHOW WARNINGS would cost a round trip per statement.
  }

  async cancel(): Promise<void> {
    // KILL QUERY must come from another connection; it ends the running statement, not the session.
    const other = await this.openOther();
    try {
      await other.query(`KILL QUERY ${Number(this.connection.threadId)}`);
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}

function connectionError(error: unknown, target: MysqlTarget, secrets: string[]): ConnectionError {
  const e = error as Error & { code?: string; errno?: number };
  const reason = scrub(e.message || String(e.code ?? error), secrets);
  const hints: Record<string, string> = {
    ECONNREFUSED: 'is the server running and accepting TCP connections on that host and port?',
    ENOTFOUND: 'check the host name',
    ETIMEDOUT: 'the server did not answer in time: check host, port and firewall',
    ER_ACCESS_DENIED_ERROR: 'check the user and password in the URL',
    ER_BAD_DB_ERROR: `create the database first (CREATE DATABASE ${quoteIdent(target.database)}), or fix the name in the URL`,
  };
  const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e.code ?? '');
  return new ConnectionError(`cannot connect to ${target.display}: ${reason}`, {
    code: unreachable ? 'unreachable' : 'connect', cause: error,
    hint: hints[e.code ?? ''] ?? 'check the URL and that the server is reachable',
  });
}
