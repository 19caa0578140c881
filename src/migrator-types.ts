// The Migrator's API types: its options, the events it reports, and what its commands return.
import type { Diagnostic } from './core/diagnostic.js';
import type { DownSelection, MigrationStatus, Step } from './core/plan.js';
import type { DatabaseNotice, Driver } from './drivers/driver.js';
import type { ConnectWaitEvent } from './connect.js';
import type { LockWaitEvent } from './lock.js';
import type { Project } from './project.js';

export interface MigratorOptions {
  /** The migrations folder. */
  dir: string;
  /** Database URL (`postgres://…`, `pglite:PATH`, `pglite:memory`, `sqlite:PATH`, `sqlite:memory`); default: the embedded `pglite:.sqlmig/pglite`, under CI too. */
  db?: string;
  /** Schema of the history tables (default `sqlmig`, or `sqlmig_<first schema of searchPath>`). */
  schema?: string;
  /**
   * A schema per tenant: one schema, or several separated by commas, set as the search_path of every
   * migration statement, so unqualified names land in the first (which `up` creates when missing).
   * PostgreSQL and PGlite only.
   */
  searchPath?: string;
  /** The folder as already read by `loadProject(dir, dialect)`: one read serves many databases (see Fleet). */
  project?: Project;
  /** How long to wait for the migration lock, ms (default 60 000). */
  lockWaitMs?: number;
  /** How long to keep trying to connect while the server is unreachable or starting up, ms (default 0: fail at once). */
  connectWaitMs?: number;
  /** PostgreSQL lock_timeout for migration statements, ms; 0 = none (default 10 000). */
  lockTimeoutMs?: number;
  /** statement_timeout for migration statements, ms; 0 = none (default). */
  statementTimeoutMs?: number;
  /** A driver to use instead of one opened from `db` (e.g. `pgliteDriver(db)` over your own PGlite). */
  driver?: Driver;
  /** Run even when applied files were edited or deleted. */
  allowDrift?: boolean;
  /** Values of the variables files declare (`-- vars: a, b`); `up` and `down` need one for each. Never printed. */
  vars?: Readonly<Record<string, string>>;
  /** Called as steps start and finish (the CLI prints a line per migration), and as waits for the server or the lock start and end. */
  onProgress?: (event: ProgressEvent) => void;
  /** Called with notices for the user (e.g. which database the default points at). */
  onNotice?: (message: string) => void;
  /** Called with what the server says while a migration runs (RAISE NOTICE, warnings), as psql would print it. */
  onServerNotice?: (notice: ServerNotice) => void;
  /**
   * Called with true as a run starts on its database (once the folder is read) and with false when
   * it has let go of it: the CLI handles SIGINT and SIGTERM only in between (see cli/signals.ts).
   */
  onDatabase?: (working: boolean) => void;
}

/** A server notice raised by a migration's SQL. */
export interface ServerNotice extends DatabaseNotice {
  migration: string;
}

/** Steps as they start and finish, and waits for the server (--connect-wait) or for another run's lock. */
export type ProgressEvent =
  | { type: 'start'; step: Step; index: number; total: number }
  | { type: 'done'; step: Step; index: number; total: number; durationMs: number; logOnly?: boolean }
  | ConnectWaitEvent
  | LockWaitEvent;

export interface StepResult {
  name: string;
  action: 'deploy' | 'revert';
  /** Absent in a dry run. */
  durationMs?: number;
  /** The SQL that runs (dry run only), as written: variables show as their placeholders. */
  sql?: string;
  /** A repeatable file changed since it was applied, applied again. */
  reapply?: boolean;
  /** Recorded as applied without running (`up --log-only`). */
  logOnly?: boolean;
}

export interface RunResult {
  command: 'up' | 'down';
  dryRun: boolean;
  database: string;
  steps: StepResult[];
  warnings: Diagnostic[];
}

export interface StatusResult {
  database: string;
  migrations: MigrationStatus[];
  warnings: Diagnostic[];
}

export interface UpOptions {
  to?: string;
  dryRun?: boolean;
  /** One transaction for the whole run: all or nothing. */
  singleTransaction?: boolean;
  /** The folder as already read by `loadProject(dir)`, when the caller needs it too; read here otherwise. */
  project?: Project;
  /**
   * Record the pending migrations as applied without running them, all in one transaction: for a
   * database that already has what they create (adopting sqlmig on an existing schema).
   */
  logOnly?: boolean;
}

export type DownOptions = DownSelection & {
  dryRun?: boolean;
  /** The folder as already read by `loadProject(dir)`, when the caller needs it too; read here otherwise. */
  project?: Project;
};

export interface DumpResult {
  database: string;
  /** The dump file's text. */
  sql: string;
  /** The applied migrations, in order of application (also at the end of `sql`, as comments). */
  applied: string[];
  /** Objects the dump does not write yet (`collation app.x`). */
  skipped: string[];
}
