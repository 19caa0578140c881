// One SQLite database through better-sqlite3 as a session: a missing file is made by the first write, a busy database is a lock error.
import type BetterSqlite3 from 'better-sqlite3';
import { ConnectionError, LockError } from '../errors.js';
import type { DatabaseNotice, Row } from './driver.js';
import type { SqliteHistorySession } from './sqlite-history.js';

export type Database = BetterSqlite3.Database;

export interface SqliteSessionOptions {
  /** The target as the user wrote it, for messages: `sqlite:app.db`. */
  display: string;
  /** How long a statement waits for another connection's lock (SQLite's busy timeout), ms. */
  lockWaitMs: number;
  /**
   * For a file that does not exist yet. Until the first write the session reads an empty in-memory
   * database, which is what the missing file holds.
   */
  missing?: MissingFile;
  /** Why the file may not be written (it is read-only), when it may not: reads work, the first write fails. */
  readOnly?: string;
  /** The caller owns the database (`sqliteDriver(db)`): closing the session leaves it open. */
  keepOpen?: boolean;
}

/** A database file opened, and why it may not be written, if it may not. */
export interface OpenedFile {
  db: Database;
  readOnly?: string;
}

/** How a session reaches its file once there is one. */
export interface MissingFile {
  /** Opens the file, creating it. */
  create(): Database;
  /** Opens the file if another process created it meanwhile (checked as any existing file is); undefined while it is missing. */
  openIfCreated(): OpenedFile | undefined;
}

/** `ROLLBACK`, `COMMIT`, `END` and nothing at all: statements that write nothing by themselves. */
const NOT_A_WRITE = /^\s*(?:(?:rollback|commit|end)\b[\s\w]*;?\s*)?$/i;

export class SqliteSession implements SqliteHistorySession {
  private missing?: MissingFile;
  private readOnly?: string;
  private readonly onCreate: (() => Promise<void>)[] = [];
  private readonly onClose: (() => void)[] = [];
  private closed = false;

  constructor(private db: Database, private readonly options: SqliteSessionOptions) {
    this.missing = options.missing;
    this.readOnly = options.readOnly;
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  async whenWritable(create: () => Promise<void>): Promise<void> {
    if (this.missing) this.onCreate.push(create);
    else await create();
  }

  /**
   * Once the migration lock is held: a file that another run created while this one waited for the
   * lock is what this run reads and writes from now on, not the empty stand-in.
   */
  async catchUp(): Promise<void> {
    const opened = this.missing?.openIfCreated();
    if (opened) await this.replaceStandIn(opened);
  }

  /** Called on close, whatever else happened (the lock file goes with the session). */
  closing(release: () => void): void {
    this.onClose.push(release);
  }

  /**
   * Before anything writes: a read-only file fails here, clearly (exit 3), and a missing file is
   * created, with what was waiting for it (the history tables).
   */
  async beforeWrite(): Promise<void> {
    if (this.readOnly) {
      throw new ConnectionError(`cannot write to ${this.options.display}: ${this.readOnly}`, {
        code: 'read-only', hint: 'make the file writable for this user, or point --db at a copy',
      });
    }
    if (!this.missing) return;
    let db: Database;
    try {
      db = this.missing.create();
    } catch (error) {
      throw new ConnectionError(`cannot create ${this.options.display}: ${(error as Error).message}`, {
        code: 'cannot-create', cause: error,
      });
    }
    await this.replaceStandIn({ db });
  }

  /** The file is there now: it replaces the empty stand-in, and what waited for it (the history tables) runs. */
  private async replaceStandIn(opened: OpenedFile): Promise<void> {
    this.missing = undefined;
    this.readOnly = opened.readOnly;
    this.db.close();
    this.db = opened.db;
    for (const run of this.onCreate.splice(0)) await run();
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      let statement = this.db.prepare(sql);
      if (!statement.readonly && (this.missing || this.readOnly)) {
        await this.beforeWrite();
        statement = this.db.prepare(sql);
      }
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    } catch (error) {
      throw this.translated(error);
    }
  }

  async execute(sql: string): Promise<void> {
    // Synchronous: the step runner gives the event loop (and SIGINT/SIGTERM) a turn between statements.
    if ((this.missing || this.readOnly) && !NOT_A_WRITE.test(sql)) await this.beforeWrite();
    try {
      this.db.exec(sql);
    } catch (error) {
      throw this.translated(error);
    }
  }

  /** SQLite sends no notices (a migration's warnings are its errors). */
  setNoticeListener(_listener: ((notice: DatabaseNotice) => void) | undefined): void {}

  async cancel(): Promise<void> {
    // better-sqlite3 runs each statement synchronously: nothing to cancel from outside; the run stops after it.
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.options.keepOpen) this.db.close();
    } finally {
      for (const release of this.onClose.splice(0)) release();
    }
  }

  /** SQLite's errors that are sqlmig's: a busy database (exit 4), a file that cannot be written (exit 3). */
  private translated(error: unknown): unknown {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') return error;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      // What follows in this run (the failure event) does not wait again.
      this.db.pragma('busy_timeout = 0');
      return busyError(this.options.display, this.options.lockWaitMs, error);
    }
    if (code.startsWith('SQLITE_READONLY')) {
      return new ConnectionError(`cannot write to ${this.options.display}: ${(error as Error).message}`, {
        code: 'read-only', cause: error, hint: 'the file, or its folder (SQLite writes a journal beside it), is not writable for this user',
      });
    }
    return error;
  }
}

/**
 * SQLITE_BUSY / SQLITE_LOCKED: another connection (a sqlite3 shell, the application) held its lock
 * longer than the busy timeout, which is --lock-wait. A lock error (exit 4), not a SQL failure.
 */
export function busyError(display: string, lockWaitMs: number, error: unknown): LockError {
  const waited = lockWaitMs % 1000 === 0 ? `${lockWaitMs / 1000}s` : `${lockWaitMs}ms`;
  return new LockError(`${display} is locked by another connection (waited ${waited}): ${(error as Error).message}`, {
    cause: error,
    hint: 'another program holds a write transaction on this database (a sqlite3 shell, the application); '
      + 'let it finish, or raise --lock-wait',
  });
}
