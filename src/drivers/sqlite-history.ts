// The history tables of SQLite: `<schema>_migrations` and `<schema>_events` in the main database, versioned DDL, rows and events.
import { userInfo } from 'node:os';
import { IntegrityError } from '../errors.js';
import { renameInRequires, rowUpdate } from './json-requires.js';
import type { HistoryChange, HistoryEvent, HistoryRow, HistoryStore, HistoryWrite, Session } from './driver.js';

/** What a SQLite session offers the store beyond `Session`: its transaction state and the file's creation. */
export interface SqliteHistorySession extends Session {
  /** Whether a transaction is open (the store then writes inside it). */
  readonly inTransaction: boolean;
  /**
   * Runs `create` right after the database file is created, before the write that creates it; at
   * once when the file exists. Read-only commands on a missing file so never create it.
   */
  whenWritable(create: () => Promise<void>): Promise<void>;
  /** Before a write: creates a missing file (with what `whenWritable` queued); fails for a read-only one. */
  beforeWrite(): Promise<void>;
}

/**
 * The history's own DDL, one entry per version, applied in order by `ensure` (existing histories
 * upgrade in place). Portable SQL: `requires` as a JSON array in text, booleans as 0/1, times as
 * ISO 8601 text in UTC (sorts as it reads).
 */
const HISTORY_DDL: ((t: HistoryTables) => string)[] = [
  (t) => `
    CREATE TABLE ${t.migrations} (
      name             TEXT PRIMARY KEY NOT NULL,
      seq              INTEGER NOT NULL UNIQUE,
      checksum         TEXT NOT NULL,
      requires         TEXT NOT NULL DEFAULT '[]',
      revert_sql       TEXT,
      transactional    INTEGER NOT NULL DEFAULT 1 CHECK (transactional IN (0, 1)),
      status           TEXT NOT NULL CHECK (status IN ('applied', 'failed')),
      failed_statement INTEGER,
      error            TEXT,
      applied_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      applied_by       TEXT NOT NULL,
      duration_ms      INTEGER NOT NULL,
      sqlmig_version   TEXT NOT NULL
    );
    CREATE TABLE ${t.events} (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      action      TEXT NOT NULL CHECK (action IN ('deploy', 'revert', 'fail', 'resolve')),
      at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      by          TEXT NOT NULL,
      checksum    TEXT,
      error       TEXT,
      duration_ms INTEGER
    );`,
];

/** The history tables of a schema name, quoted: `sqlmig` -> `"sqlmig_migrations"`, … */
export interface HistoryTables {
  migrations: string;
  events: string;
  version: string;
}

/** The unquoted table names of a history schema (also what `snapshot` leaves out). */
export function historyTableNames(schema: string): string[] {
  return [`${schema}_migrations`, `${schema}_events`, `${schema}_history_version`];
}

/** Quotes an identifier for SQLite: double quotes, its own quotes doubled. */
export function quoteSqliteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

type MigrationRecord = {
  name: string; seq: number; checksum: string; requires: string; revert_sql: string | null; transactional: number;
  status: 'applied' | 'failed'; failed_statement: number | null; error: string | null; applied_at: string;
  applied_by: string; duration_ms: number;
};

export class SqliteHistory implements HistoryStore {
  private readonly t: HistoryTables;
  /** SQLite has no users: the history names the operating-system user that ran sqlmig. */
  private readonly user = osUser();

  constructor(private readonly session: SqliteHistorySession, private readonly schema: string, private readonly version: string) {
    const [migrations, events, version_] = historyTableNames(schema).map(quoteSqliteIdent);
    this.t = { migrations, events, version: version_ };
  }

  async exists(): Promise<boolean> {
    return (await this.foundVersion()) > 0;
  }

  async ensure(): Promise<void> {
    // On a database file that does not exist yet, the tables come with its first write (a command
    // that finds nothing to do creates no file).
    await this.session.whenWritable(() => this.createOrUpgrade());
  }

  private async createOrUpgrade(): Promise<void> {
    const current = await this.foundVersion();
    if (current === HISTORY_DDL.length) return;
    const own = !this.session.inTransaction;
    // One transaction, taking the write lock up front: a failure leaves nothing behind.
    if (own) await this.session.execute('BEGIN IMMEDIATE');
    try {
      if (current === 0) {
        await this.session.execute(`CREATE TABLE ${this.t.version} (version INTEGER NOT NULL); INSERT INTO ${this.t.version} VALUES (0);`);
      }
      for (let v = current; v < HISTORY_DDL.length; v++) await this.session.execute(HISTORY_DDL[v](this.t));
      await this.session.query(`UPDATE ${this.t.version} SET version = ?`, [HISTORY_DDL.length]);
      if (own) await this.session.execute('COMMIT');
    } catch (error) {
      if (own) await this.session.execute('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The history's version: 0 when there is none; one this sqlmig does not know is an error. */
  private async foundVersion(): Promise<number> {
    const present = await this.session.query(
      `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`, [`${this.schema}_history_version`]);
    if (present.length === 0) return 0;
    const [row] = await this.session.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${this.t.version}`);
    const version = Number(row?.version ?? 0);
    if (version > HISTORY_DDL.length) {
      throw new IntegrityError('history-too-new',
        `the history "${this.schema}_migrations" has version ${version}, newer than this sqlmig knows (${HISTORY_DDL.length})`, [],
        { hint: 'a newer sqlmig wrote it: upgrade sqlmig' });
    }
    return version;
  }

  async read(): Promise<HistoryRow[]> {
    if (!(await this.exists())) return [];
    const rows = await this.session.query<MigrationRecord>(
      `SELECT name, seq, checksum, requires, revert_sql, transactional, status, failed_statement, error, applied_at, applied_by, duration_ms
         FROM ${this.t.migrations} ORDER BY seq`);
    return rows.map((r) => ({
      name: r.name, seq: Number(r.seq), checksum: r.checksum, requires: JSON.parse(r.requires) as string[], revertSql: r.revert_sql,
      transactional: r.transactional !== 0, status: r.status, failedStatement: r.failed_statement, error: r.error,
      appliedAt: new Date(r.applied_at), appliedBy: r.applied_by, durationMs: r.duration_ms,
    }));
  }

  async insert(r: HistoryWrite): Promise<void> {
    await this.session.beforeWrite();
    // seq is max + 1 in the same statement; the caller holds the migration lock, so no other writer races for it.
    await this.session.query(
      `INSERT INTO ${this.t.migrations}
         (name, seq, checksum, requires, revert_sql, transactional, status, failed_statement, error, applied_at, applied_by,
          duration_ms, sqlmig_version)
       VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM ${this.t.migrations}), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.name, r.checksum, JSON.stringify(r.requires), r.revertSql, r.transactional ? 1 : 0, r.status, r.failedStatement, r.error,
        new Date().toISOString(), this.user, Math.round(r.durationMs), this.version]);
  }

  async update(name: string, change: HistoryChange): Promise<void> {
    await this.session.beforeWrite();
    const now = { sql: ['applied_at = ?', 'applied_by = ?'], params: [new Date().toISOString(), this.user] };
    const update = rowUpdate(this.t.migrations, name, change, this.version, now);
    if (update) await this.session.query(update.sql, update.params);
  }


  async delete(name: string): Promise<void> {
    await this.session.beforeWrite();
    await this.session.query(`DELETE FROM ${this.t.migrations} WHERE name = ?`, [name]);
  }

  async rename(name: string, newName: string): Promise<void> {
    await this.session.beforeWrite();
    await this.session.query(`UPDATE ${this.t.migrations} SET name = ? WHERE name = ?`, [newName, name]);
    await renameInRequires(this.session, this.t.migrations, name, newName);
  }

  async appendEvent(e: HistoryEvent): Promise<void> {
    await this.session.beforeWrite();
    await this.session.query(
      `INSERT INTO ${this.t.events} (name, action, at, by, checksum, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [e.name, e.action, new Date().toISOString(), this.user, e.checksum ?? null, e.error ?? null,
        e.durationMs === undefined ? null : Math.round(e.durationMs)]);
  }
}

/** The operating-system user; some containers run under a uid without a passwd entry. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}
