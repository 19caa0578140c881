// The MySQL and MariaDB driver, on mysql2: `mysql://` and `mariadb://`. mysql2 is imported only for these schemes.
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { ConnectionError, UsageError } from '../errors.js';
import type { DatabaseFailure, Driver, Row, Session, SessionSettings } from './driver.js';
import { MysqlHistory } from './mysql-history.js';
import { NamedLock } from './mysql-lock.js';
import { MysqlSession, sessionAssignments } from './mysql-session.js';
import { quoteIdent } from './mysql-sql.js';
import { MYSQL_TLS_PARAMS, mysqlTlsOf, type MysqlTls } from './mysql-tls.js';
import { mysqlMissingObjectOf, mysqlScratch, mysqlSnapshot } from './mysql-verify.js';
import { passwordsOf, redactUrl, scrub } from './url.js';
import { mysqlDump } from './mysql-dump.js';

const CONNECT_TIMEOUT_MS = 10_000;
/** lock_wait_timeout's largest value (a year): "no timeout". innodb_lock_wait_timeout takes it too. */
const NO_LOCK_TIMEOUT_S = 31_536_000;

/** Where a URL points: connection options for mysql2, and the database the history lives in. */
export interface MysqlTarget {
  options: ConnectionOptions;
  tls: MysqlTls;
  database: string;
  display: string;
}

export function mysqlTarget(url: string): MysqlTarget {
  const form = 'the form is mysql://USER:PASSWORD@HOST:PORT/DATABASE (or mariadb://…)';
  let parsed: URL;
  let database: string, user: string, password: string;
  try {
    // mysql2 reads only mysql://; mariadb:// is the same protocol.
    parsed = new URL(url.replace(/^mariadb:/i, 'mysql:'));
    database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    user = decodeURIComponent(parsed.username);
    password = decodeURIComponent(parsed.password);
  } catch {
    throw new UsageError(`invalid database URL ${redactUrl(url)}`, { hint: form });
  }
  if (database === '') {
    throw new UsageError(`the URL ${redactUrl(url)} names no database`, {
      hint: 'name the database the migrations and the history live in: mysql://USER@HOST:3306/DATABASE',
    });
  }
  // Silently ignoring `?ssl=…` would send the password in the clear to a user who asked for TLS.
  const unknown = [...parsed.searchParams.keys()].filter((k) => !(MYSQL_TLS_PARAMS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new UsageError(`the URL ${redactUrl(url)} has parameters (${unknown.join(', ')}), which sqlmig does not read for MySQL`, {
      hint: `remove them: ${form}; the parameters read are ${MYSQL_TLS_PARAMS.join(', ')}`,
    });
  }
  user ||= 'root';
  // `[::1]` is how a URL writes an IPv6 address; the socket wants it bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const tls = mysqlTlsOf(parsed.searchParams, host, redactUrl(url));
  const port = Number(parsed.port || 3306);
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  return {
    database,
    display: `${scheme}://${encodeURIComponent(user)}@${parsed.hostname || host}:${port}/${database}`,
    tls,
    options: {
      host, port, user, password: password || undefined, database, ...(tls.ssl && { ssl: tls.ssl }),
      // Sections run one statement at a time, but START TRANSACTION and the run's settings ride along with the first.
      multipleStatements: true, connectTimeout: CONNECT_TIMEOUT_MS, supportBigNumbers: true,
      // The history's times are written in UTC (UTC_TIMESTAMP), and read as UTC whatever the server's or client's zone.
      timezone: 'Z',
    },
  };
}

export async function createMysqlDriver(url: string): Promise<Driver> {
  const target = mysqlTarget(url);
  const secrets = passwordsOf(url);
  const { default: mysql } = await import('mysql2/promise');
  // Set once connected: MariaDB bounds any statement with max_statement_time (s), MySQL SELECTs with max_execution_time (ms).
  let mariadb = false;
  // The session variables as a new connection has them, restored after each migration (see mysql-session.ts).
  let restore = '';

  // ssl-mode=PREFERRED: once a server has said it has no TLS, this driver's connections go in the clear.
  let options = target.options;
  const open = async (): Promise<Connection> => {
    try {
      return await mysql.createConnection(options);
    } catch (error) {
      if (target.tls.plainIfUnsupported && options.ssl && (error as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT') {
        options = { ...options, ssl: undefined };
        return open();
      }
      throw connectionError(error, target, secrets);
    }
  };

  const driver: Driver = {
    dialect: 'mysql',
    // DDL commits implicitly: a file holding DDL runs statement by statement, with the history marking each.
    capabilities: { transactionalDdl: false, cancel: true },
    display: target.display,
    async connect(): Promise<Session> {
      // Named locks and session settings belong to one connection: never a pool.
      const connection = await open();
      try {
        // As the mysql client does: utf8mb4 in the server's own default collation for it.
        await connection.query('SET NAMES utf8mb4');
        const [rows] = await connection.query('SELECT VERSION() AS version');
        mariadb = /mariadb/i.test(String((rows as Row[])[0].version));
        restore = await sessionAssignments(connection);
      } catch (error) {
        connection.destroy();
        throw connectionError(error, target, secrets);
      }
      return new MysqlSession(connection, open);
    },
    history: (session, schema) => new MysqlHistory(session, schema),
    lock: (session, schema) => new NamedLock(session, target.database, schema),
    beginSql: (settings) => `${settingsSql(settings, mariadb)} START TRANSACTION;`,
    sessionSettingsSql: (settings) => settingsSql(settings, mariadb),
    // A migration may have switched databases (USE) or changed session variables; temporary tables and @variables stay.
    resetSql: () => `${restore === '' ? '' : `SET SESSION ${restore}; `}USE ${quoteIdent(target.database)};`,
    failureOf: (error) => {
      const f = mysqlFailureOf(error);
      return f && { ...f, message: scrub(f.message, secrets) };
    },
    scratchDatabases: async () => mysqlScratch(driver, url, createMysqlDriver),
    snapshot: mysqlSnapshot,
    dump: mysqlDump,
    missingObjectOf: mysqlMissingObjectOf,
  };
  return driver;
}

/**
 * --lock-timeout bounds the wait for metadata locks (lock_wait_timeout: an ALTER TABLE queued behind a
 * long transaction blocks every query after it) and for row locks (innodb_lock_wait_timeout), in whole
 * seconds, at least 1. --statement-timeout: MariaDB's max_statement_time bounds every statement; MySQL's
 * max_execution_time only read-only SELECTs (documented).
 */
function settingsSql({ lockTimeoutMs, statementTimeoutMs }: SessionSettings, mariadb: boolean): string {
  const lockWait = lockTimeoutMs > 0 ? Math.max(1, Math.ceil(lockTimeoutMs / 1000)) : NO_LOCK_TIMEOUT_S;
  const statement = mariadb ? `max_statement_time = ${statementTimeoutMs / 1000}` : `max_execution_time = ${Math.floor(statementTimeoutMs)}`;
  return `SET SESSION lock_wait_timeout = ${lockWait}, innodb_lock_wait_timeout = ${lockWait}, ${statement};`;
}

/** mysql2's errors carry errno, SQLSTATE and the server's message; errno and its name go in `detail`. */
export function mysqlFailureOf(error: unknown): DatabaseFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { errno?: unknown; sqlState?: unknown; sqlMessage?: unknown; code?: unknown };
  if (typeof e.errno !== 'number' || typeof e.sqlState !== 'string') return undefined;
  const message = typeof e.sqlMessage === 'string' ? e.sqlMessage : e.message;
  return { message, sqlstate: e.sqlState, detail: `errno ${e.errno}${typeof e.code === 'string' ? ` (${e.code})` : ''}` };
}

/** Errors that may mend by waiting (--connect-wait): nothing listens yet, or every connection slot is taken. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'ER_CON_COUNT_ERROR']);

function connectionError(error: unknown, target: MysqlTarget, secrets: string[]): ConnectionError {
  const e = error as Error & { code?: string; errno?: number };
  const reason = scrub(e.message || String(e.code ?? error), secrets);
  const hints: Record<string, string> = {
    ECONNREFUSED: 'is the server running and accepting TCP connections on that host and port?',
    ENOTFOUND: 'check the host name',
    ETIMEDOUT: 'the server did not answer in time: check host, port and firewall',
    // MariaDB answers an unencrypted login to a server that requires TLS this way too.
    ER_ACCESS_DENIED_ERROR: `check the user and password in the URL${target.tls.ssl ? '' : '; if the server accepts only TLS, add ?ssl-mode=REQUIRED'}`,
    ER_DBACCESS_DENIED_ERROR: 'the user may not use this database: GRANT it the privileges migrations need',
    ER_BAD_DB_ERROR: `create the database first (CREATE DATABASE ${quoteIdent(target.database)}), or fix the name in the URL`,
    ER_CON_COUNT_ERROR: 'every connection slot of the server is taken: retry later, or wait with --connect-wait',
    ER_SECURE_TRANSPORT_REQUIRED: 'the server accepts only TLS: add ?ssl-mode=REQUIRED (or VERIFY_CA with ssl-ca=PATH) to the URL',
    // The chain or the name check refused the server's certificate.
    HANDSHAKE_SSL_ERROR: 'the server\'s certificate was refused: check ssl-ca (and, with VERIFY_IDENTITY, the host name the certificate holds)',
    HANDSHAKE_NO_SSL_SUPPORT: 'the server has no TLS: use ssl-mode=PREFERRED to fall back to an unencrypted connection, or enable TLS on the server',
  };
  return new ConnectionError(`cannot connect to ${target.display}: ${reason}`, {
    code: UNREACHABLE.has(e.code ?? '') ? 'unreachable' : 'connect', cause: error,
    hint: hints[e.code ?? ''] ?? 'check the URL and that the server is reachable',
  });
}
