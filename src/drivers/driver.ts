// The driver seam: the only way sqlmig talks to a database. The migrator branches on capabilities, never on names.
//
// A new engine, step by step:
//  1. A dialect in core/dialect.ts (lexing, statement splitting, transaction control, and `implicitCommit` where
//     DDL commits: a file holding such a statement cannot run in one transaction), if a new one.
//  2. A Session: `query` with bind parameters, `execute` for a whole section, `cancel`, `close`.
//     `executeScript` only if the engine runs many statements in one round trip and says how many completed.
//  3. A HistoryStore: rows and events only (versioned DDL, read, insert, update, delete, rename, append). What a
//     step writes when (running, failed, applied) is decided once, in src/history.ts, not here.
//  4. A MigrationLock: tryAcquire / describeHolder / release, held for the whole run.
//  5. beginSql / sessionSettingsSql / resetSql, failureOf (SQLSTATE or code, position where the engine gives one).
//     Where the dialect has a search path, both settings SQLs set `settings.searchPath`, and `ensureSchema` makes its schema.
//  6. scratchDatabases, snapshot and missingObjectOf for `sqlmig verify`; `dump` for `sqlmig dump` (loadable, stable SQL).
//  7. A scheme in drivers/index.ts, imported lazily; then the contract suite (test/integration/contract.ts) on it,
//     with TestDatabase's neutral probes (tables, events, writeMark) in test/helpers/databases.ts.
//  8. If the dialect has directives of its own (`Dialect.directives`), a `stepGuard` that honours them.
import type { DialectName } from '../core/dialect.js';
import type { HistoryRow } from '../core/history.js';
import type { Migration } from '../core/migration.js';
import type { SchemaDump } from '../core/dump.js';
import type { Snapshot } from '../core/snapshot.js';

export type { HistoryRow };

export interface DriverCapabilities {
  /**
   * DDL is transactional: a failing migration leaves nothing behind, and `verify` can check a file
   * inside a transaction that it rolls back. Where it is not, each statement is its own step.
   */
  transactionalDdl: boolean;
  /**
   * A running statement can be cancelled from outside (SIGINT, SIGTERM). Without it a run stops before
   * its next statement, and gives the event loop a turn before each one so that a signal is seen at all.
   */
  cancel: boolean;
}

/** A database error, normalised: SQLSTATE, and the position (1-based, in characters) in the query text. */
export interface DatabaseFailure {
  message: string;
  sqlstate?: string;
  /** The engine's own error code where it has no SQLSTATE (SQLite: `SQLITE_CONSTRAINT_UNIQUE`), shown as is. */
  code?: string;
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
  /** Runs a script as one simple query, where the engine can say how many statements completed; never throws for a database error. */
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

/** A history row as written: what a file was, and where its step stands. */
export interface HistoryWrite extends AppliedRecord {
  status: 'applied' | 'failed';
  /** For a step stopped midway (a `transaction: off` file), the 1-based statement it stopped at. */
  failedStatement: number | null;
  error: string | null;
}

/** A change to a row where it stands in the history (its seq kept). */
export type HistoryChange = Partial<Omit<HistoryWrite, 'name'>> & {
  /** Stamp the row as applied now, by the current user (a step that completes after being marked running). */
  appliedNow?: boolean;
};

export type EventAction = 'deploy' | 'revert' | 'fail' | 'resolve';

export interface HistoryEvent {
  name: string;
  action: EventAction;
  checksum?: string;
  error?: string;
  durationMs?: number;
}

/**
 * The history of one schema (or table prefix): `migrations`, the current state, and `events`, an
 * append-only log. Rows and events only; the protocol of a step lives in src/history.ts.
 */
export interface HistoryStore {
  /** Creates or upgrades the history tables (versioned DDL). Call only while holding the lock. */
  ensure(): Promise<void>;
  /** Whether the history tables exist (read-only commands never create them). */
  exists(): Promise<boolean>;
  /** All rows, in order of application. */
  read(): Promise<HistoryRow[]>;
  /** A new row at the end of the history: seq is the last one + 1 (the caller holds the lock). */
  insert(row: HistoryWrite): Promise<void>;
  update(name: string, change: HistoryChange): Promise<void>;
  delete(name: string): Promise<void>;
  /**
   * `resolve OLD --renamed-to NEW`: the row takes the new name, everything else (seq first) kept, and
   * OLD becomes NEW in the requires of every other row. Events keep the names they were logged under.
   */
  rename(name: string, newName: string): Promise<void>;
  appendEvent(event: HistoryEvent): Promise<void>;
  /**
   * For sessions with `executeScript`: one statement, as SQL text to end a migration's script, that
   * writes an applied row and its deploy event (or deletes the row and logs the revert), its
   * duration measured by the server from the script's arrival.
   */
  scriptWrites?: {
    applied(record: Omit<AppliedRecord, 'durationMs'>): string;
    reverted(name: string): string;
  };
}

/**
 * What a driver does around one transactional step of a migration that asks for it (SQLite's
 * `-- foreign-keys: off`). The step runner calls `before` ahead of the step's BEGIN, `beforeCommit`
 * after its statements and history write (a throw there rolls the step back, and the error is the
 * step's), and `after` once the step committed or rolled back, whatever happened.
 */
export interface StepGuard {
  before(): Promise<void>;
  beforeCommit(): Promise<void>;
  after(): Promise<void>;
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
  /** The search_path of migration statements (a schema per tenant), for dialects that have one; absent: the server's. */
  searchPath?: readonly string[];
}

/** A scratch database for `sqlmig verify`: empty when made, gone after `dispose`. */
export interface Scratch {
  driver: Driver;
  session: Session;
  dispose(): Promise<void>;
}

/**
 * Where `verify` makes its scratch databases: in memory, or temporary databases on a server. A
 * database that `dispose` or `close` cannot drop is thrown as an error that names it (several as an
 * AggregateError); verify reports it and goes on. `close` also drops what `create` made but could
 * not hand out.
 */
export interface ScratchDatabases {
  /** For messages: "an in-memory PGlite", "temporary databases on postgres://…". */
  readonly display: string;
  /** Scratch databases of earlier runs that were killed (nobody connected, over an hour old), dropped on opening. */
  readonly droppedLeftovers?: readonly string[];
  create(): Promise<Scratch>;
  close(): Promise<void>;
}

/**
 * What a snapshot may take for granted since an earlier one (`of`), taken on the same session:
 * `unchanged` — the schema is as it was then (rolled back to that point, or nothing ran since);
 * `this transaction` — `of` was taken in the transaction still open, and nothing has been rolled
 * back to a savepoint set before it.
 */
export interface SnapshotBase {
  of: Snapshot;
  since: 'unchanged' | 'this transaction';
}

/** What a URL scheme provides. */
export interface Driver {
  /** The language its files are read in. */
  readonly dialect: DialectName;
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
  /**
   * Scratch databases like this one for `verify`; `several` when more than one will be made (worth
   * keeping a template of the first).
   */
  scratchDatabases(several: boolean): Promise<ScratchDatabases>;
  /**
   * The schema as data (tables, columns, indexes, …), the history tables of `historySchema` left out.
   * `base` says what is known of the schema since an earlier snapshot of the session; an engine may
   * use it to read less, or ignore it.
   */
  snapshot(session: Session, historySchema: string, base?: SnapshotBase): Promise<Snapshot>;
  /**
   * For verify's scratch databases only (it may write to the database): lets this session's later
   * snapshots read only what changed. PostgreSQL and PGlite make functions in the history schema.
   */
  prepareSnapshots?(session: Session, historySchema: string): Promise<void>;
  /**
   * For engines that load extensions themselves (PGlite): whether CREATE EXTENSION of this name can
   * work, so that a project asking for one it lacks is an input error before anything runs.
   */
  supportsExtension?(name: string): boolean;
  /**
   * `sqlmig dump`: the schema as statements that load into an empty database of this engine, in an order
   * that depends on the schema alone, without OIDs, owners or timestamps, the history tables of
   * `historySchema` left out. Absent where the engine has no dump yet.
   */
  dump?(session: Session, historySchema: string): Promise<SchemaDump>;
  /**
   * Creates a schema unless it is there (a target's searchPath, before its first migration), for dialects
   * with a search_path. Asks for CREATE on the database only when the schema is missing.
   */
  ensureSchema?(session: Session, schema: string): Promise<void>;
  /** The object a failure says is missing ("relation app.users does not exist"), for `verify --isolation`. */
  missingObjectOf(failure: DatabaseFailure): string | undefined;
  /**
   * The guard of a transactional step of `migration`, when its directives need one (none: the step
   * runs as is). The migrator keeps such files out of --single-transaction; `verify`'s round trips
   * still run them inside a transaction it rolls back, where the guard does what the engine allows.
   */
  stepGuard?(session: Session, migration: Migration): StepGuard | undefined;
}
