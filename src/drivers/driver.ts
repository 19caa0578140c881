// The driver seam: the only way sqlmig talks to a database. The migrator branches on capabilities, never on names.
import type { HistoryRow } from '../core/history.js';

export type { HistoryRow };

export interface DriverCapabilities {
  /** DDL is transactional: a failing migration leaves nothing behind. */
  transactionalDdl: boolean;
  /**
   * A running statement can be cancelled from outside (SIGINT, SIGTERM). Without it a run stops before
   * its next statement, and gives the event loop a turn before each one so that a signal is seen at all.
   */
  cancel: boolean;
  /** Other processes can reach the same database, so a cross-process lock is needed. */
  sharedServer: boolean;
  /**
   * Several statements go to the server in one round trip, and a failure tells how many completed
   * first (`Session.executeScript`): a whole migration then costs one round trip, not one per statement.
   */
  scripts: boolean;
}

/** A database error, normalised: SQLSTATE, and the position (1-based, in characters) in the query text. */
export interface DatabaseFailure {
  message: string;
  sqlstate?: string;
  position?: number;
  detail?: string;
  hint?: string;
  where?: string;
}

/** A message the server sends while a statement runs (RAISE NOTICE, "table … does not exist, skipping"). */
export interface DatabaseNotice {
  /** NOTICE, WARNING, INFO, … */
  severity: string;
  message: string;
  detail?: string;
  hint?: string;
}

export type Row = Record<string, unknown>;

/** One database session. Everything a run does happens on one session, so session locks hold. */
export interface Session {
  /** One statement, with bind parameters. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Any number of statements as one simple query, no parameters (a migration section). */
  execute(sql: string): Promise<void>;
  /** Runs a script as one simple query (drivers with the `scripts` capability); never throws for a database error. */
  executeScript?(sql: string): Promise<ScriptOutcome>;
  /** Where the server's notices go from now on; undefined drops them (sqlmig's own statements). */
  setNoticeListener(listener: ((notice: DatabaseNotice) => void) | undefined): void;
  /** Asks the server to cancel what this session runs now; the running call then fails. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

/** How a script ended: the statements that completed, and the error that stopped it, if one did. */
export interface ScriptOutcome {
  completed: number;
  error?: unknown;
}

export interface AppliedRecord {
  name: string;
  checksum: string;
  requires: string[];
  revertSql: string | null;
  transactional: boolean;
  durationMs: number;
}

export type EventAction = 'deploy' | 'revert' | 'fail' | 'resolve';

/** The history in one schema: `migrations` (current state) and `events` (append-only log). */
export interface HistoryStore {
  /** Creates or upgrades the history tables. Call only while holding the lock. */
  ensure(): Promise<void>;
  /** Whether the history tables exist (read-only commands never create them). */
  exists(): Promise<boolean>;
  /** All rows, in order of application. */
  read(): Promise<HistoryRow[]>;
  recordApplied(record: AppliedRecord): Promise<void>;
  /**
   * For `transaction: off` steps, before each statement: the row (inserted for a deploy's first
   * statement) is marked failed at that statement until the step completes.
   */
  markRunning(name: string, action: 'deploy' | 'revert', statement: number, record?: AppliedRecord): Promise<void>;
  /**
   * Records a migration as applied without running it (`up --log-only`, adopting a database that
   * already has its objects), with a `resolve` event that says so.
   */
  recordLogOnly(record: Omit<AppliedRecord, 'durationMs'>): Promise<void>;
  /** Puts the row back as before `markRunning` (nothing ran): removed for a deploy, applied for a revert. */
  unmarkRunning(name: string, action: 'deploy' | 'revert'): Promise<void>;
  /** A `transaction: off` step failed at `statement` after others ran: the row keeps it, with the error, and the event is logged. */
  markFailed(name: string, statement: number, error: string): Promise<void>;
  /** Deletes the row of a reverted migration and logs the revert. */
  recordReverted(name: string, durationMs: number): Promise<void>;
  /**
   * The statement that `recordApplied` runs, as SQL text to end a migration's script: its duration
   * is measured by the server, from the script's arrival to the history write.
   */
  recordAppliedSql(record: Omit<AppliedRecord, 'durationMs'>): string;
  /** Likewise for `recordReverted`. */
  recordRevertedSql(name: string): string;
  /**
   * Marks a failed row applied where it stands in the history (its seq kept), after a repair by hand;
   * with `record`, the row takes the file's checksum, requires and revert. Logs nothing (resolve does).
   */
  markApplied(name: string, record?: Omit<AppliedRecord, 'durationMs'>): Promise<void>;
  /** Deletes a row without logging (resolve logs its own event). */
  remove(name: string): Promise<void>;
  logEvent(name: string, action: EventAction, details?: { checksum?: string; error?: string; durationMs?: number }): Promise<void>;
}

/** The cross-process migration lock of one history schema. */
export interface MigrationLock {
  /** Tries once; true when held. */
  tryAcquire(): Promise<boolean>;
  /** Who holds it, for the timeout message (e.g. "pid 4242, application sqlmig"). */
  describeHolder(): Promise<string | undefined>;
  /** Releases it; false means it was not held any more (lost), which the caller reports. */
  release(): Promise<boolean>;
}

export interface SessionSettings {
  /** PostgreSQL lock_timeout for migration statements, ms; 0 = none. */
  lockTimeoutMs: number;
  /** statement_timeout for migration statements, ms; 0 = none. */
  statementTimeoutMs: number;
}

/** What a URL scheme provides. */
export interface Driver {
  readonly capabilities: DriverCapabilities;
  /** The target as shown to users, never with a password: `postgres://app:***@db:5432/app`. */
  readonly display: string;
  connect(): Promise<Session>;
  /**
   * Whether the database is there, found without creating it. Only drivers whose `connect` creates a
   * missing database (an embedded data folder) have it: commands that must not create one then see
   * an empty history instead.
   */
  exists?(): Promise<boolean>;
  history(session: Session, schema: string): HistoryStore;
  lock(session: Session, schema: string): MigrationLock;
  /** SQL that starts a migration's transaction with the run's settings. */
  beginSql(settings: SessionSettings): string;
  /** SQL that applies the run's settings outside a transaction (for `transaction: off` files). */
  sessionSettingsSql(settings: SessionSettings): string;
  /** SQL that resets session state (search_path, role, settings) between migrations, keeping session locks. */
  resetSql(): string;
  /** Normalises an error thrown by this driver; undefined when it is not a database error. */
  failureOf(error: unknown): DatabaseFailure | undefined;
}
