// The one orchestrator: scan -> validate -> connect -> lock -> history -> plan -> execute.
import { sortDiagnostics, type Diagnostic } from './core/diagnostic.js';
import { integrityProblems, migrationStatuses, planDown, planUp, type DownSelection, type MigrationStatus, type Step } from './core/plan.js';
import type { HistoryRow } from './core/history.js';
import type { DatabaseNotice, Driver, HistoryStore, Session } from './drivers/driver.js';
import { DEFAULT_DATABASE_URL, openDriver } from './drivers/index.js';
import { ConnectionError, InputError, IntegrityError, InterruptedError, SqlmigError, UsageError } from './errors.js';
import { appliedRecordOf, StepRunner } from './execute.js';
import { connectWithin } from './connect.js';
import { acquireLock, releaseLock } from './lock.js';
import { loadProject, type Project } from './project.js';

export interface MigratorOptions {
  /** The migrations folder. */
  dir: string;
  /** Database URL (`postgres://…`, `pglite:PATH`, `pglite:memory`); default: the embedded `pglite:.sqlmig/pglite`. */
  db?: string;
  /** Schema of the history tables (default `sqlmig`). */
  schema?: string;
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
  /** Called as steps start and finish (the CLI prints a line per migration). */
  onProgress?: (event: ProgressEvent) => void;
  /** Called with notices for the user (e.g. which database the default points at). */
  onNotice?: (message: string) => void;
  /** Called with what the server says while a migration runs (RAISE NOTICE, warnings), as psql would print it. */
  onServerNotice?: (notice: ServerNotice) => void;
}

/** A server notice raised by a migration's SQL. */
export interface ServerNotice extends DatabaseNotice {
  migration: string;
}

export type ProgressEvent =
  | { type: 'start'; step: Step; index: number; total: number }
  | { type: 'done'; step: Step; index: number; total: number; durationMs: number; logOnly?: boolean };

export interface StepResult {
  name: string;
  action: 'deploy' | 'revert';
  /** Absent in a dry run. */
  durationMs?: number;
  /** The SQL that runs (dry run only). */
  sql?: string;
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

/**
 * Applies and reverts the migrations of one folder on one database.
 *
 * ```ts
 * const migrator = new Migrator({ dir: 'migrations', db: process.env.DATABASE_URL });
 * const result = await migrator.up();            // throws MigrationError (exit 1) etc.
 * console.log(result.steps.map((s) => s.name));  // what was applied, in order
 * ```
 *
 * Every run validates the whole folder before connecting, takes the lock, and only then reads the
 * history, so two runners never apply the same migration.
 */
export class Migrator {
  private readonly options: Required<Omit<MigratorOptions, 'db' | 'driver' | 'onProgress' | 'onNotice' | 'onServerNotice'>> & MigratorOptions;
  private interruptedBy?: 'SIGINT' | 'SIGTERM';
  private activeSession?: Session;
  private cancelCapable = false;

  constructor(options: MigratorOptions) {
    this.options = {
      schema: 'sqlmig', lockWaitMs: 60_000, connectWaitMs: 0, lockTimeoutMs: 10_000, statementTimeoutMs: 0, allowDrift: false, ...options,
    };
    if (this.options.schema === '' || this.options.schema.includes('\0')) throw new UsageError('--schema must be a non-empty name');
  }

  /** Applies pending migrations in order (with `to`: NAME and what it requires). */
  async up(options: UpOptions = {}): Promise<RunResult> {
    const project = options.project ?? await loadProject(this.options.dir);
    return this.withDatabase(!options.dryRun, async (driver, session, history, rows) => {
      const statuses = migrationStatuses(project, rows);
      throwIntegrity(integrityProblems(statuses, this.options.allowDrift));
      const steps = unwrap(planUp(project, rows, { to: options.to }));
      if (options.singleTransaction) assertAllTransactional(steps);
      if (options.logOnly) return this.recordLogOnly(driver, session, history, steps, project, options.dryRun ?? false);
      return this.execute('up', driver, session, history, steps, project, options.dryRun, options.singleTransaction);
    });
  }

  /** Reverts applied migrations, last applied first (default: the last one). */
  async down(options: DownOptions = { count: 1 }): Promise<RunResult> {
    const project = options.project ?? await loadProject(this.options.dir);
    return this.withDatabase(!options.dryRun, async (driver, session, history, rows) => {
      const statuses = migrationStatuses(project, rows);
      // Drift does not stop a revert (that is how one undoes a mistake), but a half-applied file does.
      throwIntegrity(integrityProblems(statuses, true));
      const steps = unwrap(planDown(project, rows, options));
      return this.execute('down', driver, session, history, steps, project, options.dryRun, false);
    });
  }

  /** Every migration with its state; read-only (no lock, creates nothing). */
  async status(): Promise<{ database: string; migrations: MigrationStatus[]; warnings: Diagnostic[] }> {
    const project = await loadProject(this.options.dir);
    return this.withDatabase(false, async (driver, _session, _history, rows) =>
      ({ database: driver.display, migrations: migrationStatuses(project, rows), warnings: project.warnings }));
  }

  /**
   * After repairing a failed `transaction: off` migration by hand: mark it applied, or forget it (reverted).
   * Forgetting a healthy applied migration would leave its objects behind, so it takes `force`.
   */
  async resolve(name: string, as: 'applied' | 'reverted', options: { force?: boolean } = {}): Promise<void> {
    const project = await loadProject(this.options.dir);
    await this.withDatabase(true, async (_driver, _session, history, rows) => {
      const row = rows.find((r) => r.name === name);
      if (!row) {
        throw new UsageError(`"${name}" has no history row to resolve`, {
          hint: as === 'applied' && project.byName.has(name)
            ? `to record a pending migration as applied without running it: sqlmig up --log-only --to ${name}`
            : 'sqlmig status lists the failed migrations',
        });
      }
      if (as === 'reverted') {
        if (row.status !== 'failed' && !options.force) {
          throw new UsageError(`"${name}" is applied, not failed: forgetting it would leave its objects in the database`, {
            hint: `to revert it: sqlmig down --only ${name}; if its objects were really removed by hand: sqlmig resolve ${name} --reverted --force`,
          });
        }
        await history.remove(name);
      } else {
        if (row.status !== 'failed') throw new UsageError(`"${name}" is already applied`);
        // The file as it is now, if it is still there (a failed revert may have outlived it): what ran is what it says.
        const m = project.byName.get(name);
        await history.markApplied(name, m && appliedRecordOf(m));
      }
      const forced = as === 'reverted' && row.status !== 'failed' ? ' (forced: it was applied)' : '';
      await history.logEvent(name, 'resolve', { error: `marked ${as}${forced}` });
    });
  }

  /** Stops the run: cancels the running statement; the run rolls back, releases the lock and throws InterruptedError. */
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void {
    if (this.interruptedBy) return;
    this.interruptedBy = signal;
    if (this.cancelCapable) void this.activeSession?.cancel().catch(() => undefined);
  }

  private async withDatabase<T>(
    write: boolean,
    work: (driver: Driver, session: Session, history: HistoryStore, rows: HistoryRow[]) => Promise<T>,
  ): Promise<T> {
    const driver = this.options.driver ?? await this.openConfiguredDriver();
    const session = await connectWithin(driver, this.options.connectWaitMs, () => this.interruptedBy);
    this.activeSession = session;
    this.cancelCapable = driver.capabilities.cancel;
    const { schema } = this.options;
    const lock = driver.lock(session, schema);
    let locked = false;
    let failed = false;
    try {
      const history = driver.history(session, schema);
      if (write) {
        await acquireLock(lock, this.options.lockWaitMs, schema, () => this.interruptedBy !== undefined);
        locked = true;
        await history.ensure();
      }
      // Read only now: under the lock, so what we plan from is what no one else is changing.
      const rows = write || (await history.exists()) ? await history.read() : [];
      return await work(driver, session, history, rows);
    } catch (error) {
      failed = true;
      if (this.interruptedBy && !(error instanceof InterruptedError) && !(error instanceof InputError)) {
        throw new InterruptedError(this.interruptedBy);
      }
      throw asSqlmigError(error, driver);
    } finally {
      if (locked) {
        try {
          await releaseLock(lock, schema);
        } catch (error) {
          // A dead session released its lock with it; report a lost lock only when nothing else failed.
          if (!failed) { await session.close(); throw error; }
        }
      }
      await session.close();
      this.activeSession = undefined;
    }
  }

  private async openConfiguredDriver(): Promise<Driver> {
    const url = this.options.db ?? DEFAULT_DATABASE_URL;
    if (this.options.db === undefined) {
      this.options.onNotice?.(`using the embedded database at ${url.slice('pglite:'.length)}/ (set --db or DATABASE_URL to use a server)`);
    }
    return openDriver(url, { lockWaitMs: this.options.lockWaitMs });
  }

  /** `up --log-only`: every pending migration recorded, none run, in one transaction (all or nothing). */
  private async recordLogOnly(
    driver: Driver, session: Session, history: HistoryStore, steps: Step[], project: Project, dryRun: boolean,
  ): Promise<RunResult> {
    const result: RunResult = { command: 'up', dryRun, database: driver.display, steps: [], warnings: project.warnings };
    if (dryRun) {
      result.steps = steps.map((s) => ({ name: s.name, action: s.action, logOnly: true }));
      return result;
    }
    await session.execute('BEGIN');
    try {
      for (const [index, step] of steps.entries()) {
        await history.recordLogOnly(appliedRecordOf(step.migration!));
        result.steps.push({ name: step.name, action: step.action, durationMs: 0, logOnly: true });
        this.options.onProgress?.({ type: 'done', step, index, total: steps.length, durationMs: 0, logOnly: true });
      }
      await session.execute('COMMIT');
    } catch (error) {
      await session.execute('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return result;
  }

  private async execute(
    command: 'up' | 'down', driver: Driver, session: Session, history: HistoryStore, steps: Step[], project: Project,
    dryRun = false, singleTransaction = false,
  ): Promise<RunResult> {
    const result: RunResult = { command, dryRun, database: driver.display, steps: [], warnings: project.warnings };
    if (dryRun) {
      result.steps = steps.map((s) => ({ name: s.name, action: s.action, sql: s.sql }));
      return result;
    }
    const settings = { lockTimeoutMs: this.options.lockTimeoutMs, statementTimeoutMs: this.options.statementTimeoutMs };
    const { onServerNotice } = this.options;
    const runner = new StepRunner({
      driver, session, history, settings, interrupted: () => this.interruptedBy,
      onNotice: onServerNotice && ((migration, notice) => onServerNotice({ migration, ...notice })),
    });
    if (singleTransaction) await session.execute(driver.beginSql(settings));
    try {
      for (const [index, step] of steps.entries()) {
        if (this.interruptedBy) throw new InterruptedError(this.interruptedBy);
        this.options.onProgress?.({ type: 'start', step, index, total: steps.length });
        const durationMs = await runner.run(step, singleTransaction);
        result.steps.push({ name: step.name, action: step.action, durationMs });
        this.options.onProgress?.({ type: 'done', step, index, total: steps.length, durationMs });
      }
      if (singleTransaction) await session.execute('COMMIT');
    } catch (error) {
      if (singleTransaction) {
        await session.execute('ROLLBACK').catch(() => undefined);
        result.steps = [];
      }
      if (error instanceof SqlmigError) error.completed = result.steps;
      throw error;
    }
    return result;
  }
}

/** A database error outside any migration (reading or writing the history, a dropped connection): exit 3. */
function asSqlmigError(error: unknown, driver: Driver): unknown {
  if (error instanceof SqlmigError) return error;
  const failure = driver.failureOf(error);
  if (failure) {
    return new ConnectionError(`database error on ${driver.display}: ${failure.message}${failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : ''}`,
      { code: 'database', cause: error, hint: failure.hint });
  }
  if (error instanceof Error && /connection|terminated|ECONNRESET|EPIPE/i.test(error.message)) {
    return new ConnectionError(`lost the connection to ${driver.display}: ${error.message}`, {
      code: 'connection-lost', cause: error, hint: 'the server rolls back an open transaction when a connection drops; run the command again',
    });
  }
  return error;
}

function unwrap<T>(checked: { value: T; diagnostics: Diagnostic[] }): T {
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new InputError(errors, errors.length === 1 ? errors[0].message : undefined);
  return checked.value;
}

function throwIntegrity(problems: Diagnostic[]): void {
  if (problems.length === 0) return;
  sortDiagnostics(problems);
  const summary = problems.length === 1 ? problems[0].message : `${problems.length} migrations disagree with the history`;
  throw new IntegrityError(problems[0].code, summary, problems);
}

function assertAllTransactional(steps: readonly Step[]): void {
  const offenders = steps.filter((s) => !s.transactional).map((s) => s.migration!);
  if (offenders.length === 0) return;
  throw new InputError(offenders.map((m) => ({
    severity: 'error' as const, code: 'single-transaction', position: { path: m.path, line: 1, column: 1 },
    message: `"${m.name}" has "transaction: off" and cannot run inside --single-transaction`,
    hint: 'run without --single-transaction, or apply this file in a separate run',
  })));
}
