// The SQLite driver (better-sqlite3): `sqlite:PATH` or `sqlite:memory`, no server needed.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConnectionError, UsageError } from '../errors.js';
import { SQLMIG_VERSION } from '../version.js';
import type { DatabaseFailure, Driver, MigrationLock, ScratchDatabases, Session } from './driver.js';
import { fileLockHolder, holdsFileLock, tryFileLock } from './file-lock.js';
import type { OpenDriverOptions } from './index.js';
import { SqliteHistory } from './sqlite-history.js';
import { busyError, SqliteSession, type Database, type OpenedFile } from './sqlite-session.js';
import { ForeignKeyCheckError, foreignKeysGuard } from './sqlite-foreign-keys.js';
import { readSqliteSnapshot } from './sqlite-snapshot.js';
import { sqliteDump } from './sqlite-dump.js';

/** `sqlite:memory` and `sqlite::memory:` (SQLite's own spelling) are an in-memory database; anything else is a path. */
export function sqliteTarget(url: string): { display: string; path?: string } {
  const target = url.slice('sqlite:'.length);
  if (target === 'memory' || target === ':memory:') return { display: 'sqlite:memory' };
  if (target === '') {
    throw new UsageError('sqlite: needs a path', { hint: 'write sqlite:PATH (relative to the working directory) or sqlite:memory' });
  }
  return { display: `sqlite:${target}`, path: resolve(target) };
}

export async function createSqliteDriver(url: string, options: OpenDriverOptions): Promise<Driver> {
  const { display, path } = sqliteTarget(url);
  const connect = () => (path ? openFile(display, path, options.lockWaitMs) : openMemory(display));
  return sqliteFamilyDriver(display, connect, path && `${path}.lock`);
}

/**
 * A driver over a better-sqlite3 database the caller owns (in-process tests, apps that hold their
 * database open): sqlmig runs on it and leaves it open. No lock file: the caller keeps other
 * writers away.
 *
 * ```ts
 * const db = new Database('app.db');
 * await new Migrator({ dir: 'migrations', driver: sqliteDriver(db) }).up();
 * ```
 */
export function sqliteDriver(db: Database): Driver {
  const display = 'sqlite:(instance)';
  // Its own busy timeout is what a busy database waits.
  const lockWaitMs = Number(db.pragma('busy_timeout', { simple: true }));
  return sqliteFamilyDriver(display, async () => new SqliteSession(db, { display, lockWaitMs, keepOpen: true }));
}

function sqliteFamilyDriver(display: string, connect: () => Promise<SqliteSession>, lockPath?: string): Driver {
  return {
    dialect: 'sqlite',
    // One writer at a time (BEGIN IMMEDIATE); better-sqlite3 is synchronous, so a running statement
    // cannot be cancelled: the run stops between statements.
    capabilities: { transactionalDdl: true, cancel: false },
    display,
    connect,
    history: (session, schema) => new SqliteHistory(sqliteSession(session), schema, SQLMIG_VERSION),
    lock: (session) => (lockPath ? new LockFile(sqliteSession(session), lockPath, display) : new NoLock()),
    // IMMEDIATE takes the write lock at BEGIN: a busy database fails there, before any statement ran.
    beginSql: () => 'BEGIN IMMEDIATE;',
    // SQLite has no lock_timeout or statement_timeout: --lock-timeout and --statement-timeout do not apply.
    sessionSettingsSql: () => '',
    // What a migration may have changed for the connection does not outlive it: foreign keys turned
    // off outside a transaction, the legacy ALTER TABLE RENAME of a table rebuild.
    resetSql: () => 'PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = OFF;',
    failureOf: sqliteFailureOf,
    scratchDatabases: async () => memoryScratch(),
    snapshot: (session, historySchema) => readSqliteSnapshot(session, historySchema),
    dump: sqliteDump,
    // `no such table: main.users` -> `users`: the main schema is where every file creates its objects.
    missingObjectOf: (failure) => /^no such (?:table|column|view|index|trigger|function): (?:main\.)?(\S+)/.exec(failure.message)?.[1],
    stepGuard: (session, migration) => foreignKeysGuard(sqliteSession(session), migration),
  };
}

function sqliteSession(session: Session): SqliteSession {
  if (!(session instanceof SqliteSession)) throw new Error('a SQLite driver was given a session of another driver');
  return session;
}

type BetterSqlite3 = typeof import('better-sqlite3');

async function loadBetterSqlite3(): Promise<BetterSqlite3> {
  return (await import('better-sqlite3')).default;
}

async function openMemory(display: string): Promise<SqliteSession> {
  const Database = await loadBetterSqlite3();
  return new SqliteSession(new Database(':memory:'), { display, lockWaitMs: 0 });
}

/**
 * Opens a database file, after checking what the path is: a missing folder, a folder, a file that
 * is not a SQLite database are each a clear ConnectionError, and nothing is created or changed. A
 * missing file is created by the first write only; a read-only file can still be read.
 */
async function openFile(display: string, path: string, lockWaitMs: number): Promise<SqliteSession> {
  const Database = await loadBetterSqlite3();
  const folder = dirname(path);
  const folderStats = statOf(folder);
  if (!folderStats) {
    throw cannotOpen(display, `the folder ${folder} does not exist`, 'create the folder first (sqlmig creates the database file, not its folder)');
  }
  if (!folderStats.isDirectory()) throw cannotOpen(display, `${folder} is not a folder`, 'check the path after sqlite:');
  const opened = openExisting(Database, display, path, lockWaitMs);
  if (opened) return new SqliteSession(opened.db, { display, lockWaitMs, readOnly: opened.readOnly });
  return new SqliteSession(new Database(':memory:'), {
    display, lockWaitMs,
    missing: {
      create: () => new Database(path, { timeout: lockWaitMs }),
      openIfCreated: () => openExisting(Database, display, path, lockWaitMs),
    },
  });
}

function cannotOpen(display: string, why: string, hint: string): ConnectionError {
  return new ConnectionError(`cannot open ${display}: ${why}`, { code: 'bad-database-file', hint });
}

/** Opens the file at `path` if there is one, checked: a folder or a file that is not a database is an error. */
function openExisting(Database: BetterSqlite3, display: string, path: string, lockWaitMs: number): OpenedFile | undefined {
  const stats = statOf(path);
  if (!stats) return undefined;
  if (stats.isDirectory()) {
    throw cannotOpen(display, 'it is a folder, not a database file', 'point sqlite: at a file inside it, e.g. sqlite:PATH/app.db');
  }
  if (!stats.isFile()) throw cannotOpen(display, 'it is not a regular file', 'point sqlite: at a database file');
  const readOnly = readOnlyReason(path, stats);
  let db: Database;
  try {
    db = new Database(path, { timeout: lockWaitMs, fileMustExist: true, readonly: readOnly !== undefined });
  } catch (error) {
    throw new ConnectionError(`cannot open ${display}: ${(error as Error).message}`, { code: 'bad-database-file', cause: error });
  }
  try {
    // Reading the header is what tells a database from any other file.
    db.pragma('schema_version');
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') {
      throw cannotOpen(display, 'the file is not a SQLite database', 'check the path after sqlite:; sqlmig never overwrites a file that is not a database');
    }
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
      throw busyError(display, lockWaitMs, error);
    }
    throw new ConnectionError(`cannot open ${display}: ${(error as Error).message}`, { code: 'bad-database-file', cause: error });
  }
  return { db, readOnly };
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Why a database file may not be written, if it may not: this user lacks write access, or the file
 * has no write permission at all (which a superuser would otherwise ignore: its owner marked it so).
 */
function readOnlyReason(path: string, stats: Stats): string | undefined {
  try {
    accessSync(path, constants.W_OK);
  } catch {
    return 'the file is not writable for this user';
  }
  if ((stats.mode & 0o222) === 0) return `the file is read-only (mode ${(stats.mode & 0o777).toString(8)})`;
  return undefined;
}

/**
 * The migration lock of a database file: `<file>.lock` holding the owner's pid, as for PGlite. Taken
 * only by commands that write; a lock file left by a process that is gone is taken over. SQLite's
 * own locking keeps other programs' writes apart (BEGIN IMMEDIATE, the busy timeout).
 */
class LockFile implements MigrationLock {
  private unlock?: () => void;

  constructor(private readonly session: SqliteSession, private readonly lockPath: string, private readonly display: string) {}

  async tryAcquire(): Promise<boolean> {
    if (this.unlock) return true;
    try {
      this.unlock = tryFileLock(this.lockPath);
    } catch (error) {
      throw new ConnectionError(`cannot create the lock file ${this.lockPath} of ${this.display}: ${(error as Error).message}`, {
        code: 'read-only', cause: error, hint: 'sqlmig writes a lock file beside the database: the folder must be writable for this user',
      });
    }
    if (!this.unlock) return false;
    // Closing the session releases it too, whatever ended the run.
    this.session.closing(() => void this.release());
    // Read under the lock: the file may have been created by the run that held it.
    await this.session.catchUp();
    return true;
  }

  async describeHolder(): Promise<string | undefined> {
    const holder = fileLockHolder(this.lockPath);
    return holder && `${holder} (lock file ${this.lockPath})`;
  }

  async release(): Promise<boolean> {
    const unlock = this.unlock;
    this.unlock = undefined;
    if (!unlock) return false;
    // Someone deleted the file, or took it over believing this process dead: it was lost.
    const held = holdsFileLock(this.lockPath);
    if (held) unlock();
    return held;
  }
}

/** `sqlite:memory`: one connection, nobody else can see the database. */
class NoLock implements MigrationLock {
  async tryAcquire(): Promise<boolean> { return true; }
  async describeHolder(): Promise<string | undefined> { return undefined; }
  async release(): Promise<boolean> { return true; }
}

/** better-sqlite3's SqliteError: a message and SQLite's extended result code (`SQLITE_CONSTRAINT_UNIQUE`). */
export function sqliteFailureOf(error: unknown): DatabaseFailure | undefined {
  if (error instanceof ForeignKeyCheckError) return { message: error.message, code: error.code, detail: error.detail, hint: error.hint };
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (error.name !== 'SqliteError' || typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  return { message: error.message, code };
}

function memoryScratch(): ScratchDatabases {
  return {
    display: 'in-memory SQLite databases',
    async create() {
      const driver = await createSqliteDriver('sqlite:memory', { lockWaitMs: 0 });
      const session = await driver.connect();
      return { driver, session, dispose: () => session.close() };
    },
    async close() {},
  };
}
