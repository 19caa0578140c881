// The one orchestrator: scan -> validate -> connect -> lock -> history -> plan -> execute.
import { renderDump } from './core/dump.js';
import { historyUpdates, reviewHistory, type HistoryReview } from './core/drift.js';
import { integrityProblems, migrationStatuses, planDown, planUp, type Step } from './core/plan.js';
import type { HistoryRow } from './core/history.js';
import { dialectNamed, type Dialect } from './core/dialect.js';
import { historySchemaOf, schemasOf } from './core/search-path.js';
import type { Driver, Session, SessionSettings } from './drivers/driver.js';
import { DEFAULT_DATABASE_URL, dialectOfUrl, openDriver } from './drivers/index.js';
import { withTransaction } from './drivers/transaction.js';
import { extensionsCreatedBy } from './core/extensions.js';
import { ConnectionError, InputError, InterruptedError, SqlmigError, UsageError } from './errors.js';
import { appliedRecordOf, runsAtomically, StepRunner } from './execute.js';
import { History } from './history.js';
import { absentSession, isAbsentSession } from './absent-session.js';
import { connectWithin } from './connect.js';
import { acquireLock, releaseLock } from './lock.js';
import { loadProject, type Project } from './project.js';
import { resolveMigration, type ResolveAction, type ResolveResult } from './resolve.js';
import { declaredValues, missingStoredValues, missingValues, stepVariables } from './core/variable-values.js';
import { assertAllTransactional, assertExtensionsAvailable, assertSearchPath, throwIntegrity, unwrap } from './run-checks.js';

export type { MigratorOptions, ServerNotice, ProgressEvent, StepResult, RunResult, StatusResult, UpOptions, DownOptions, DumpResult } from './migrator-types.js';
import type { DownOptions, DumpResult, MigratorOptions, RunResult, StatusResult, UpOptions } from './migrator-types.js';

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
  private readonly options: Required<Omit<MigratorOptions, 'db' | 'driver' | 'searchPath' | 'project' | 'onProgress' | 'onNotice' | 'onServerNotice' | 'onDatabase' | 'vars'>>
    & MigratorOptions;
  private interruptedBy?: 'SIGINT' | 'SIGTERM';
  private activeSession?: Session;
  private cancelCapable = false;

  constructor(options: MigratorOptions) {
    this.options = {
      lockWaitMs: 60_000, connectWaitMs: 0, lockTimeoutMs: 10_000, statementTimeoutMs: 0, allowDrift: false, ...options,
      schema: historySchemaOf(options.schema, options.searchPath),
    };
    if (this.options.schema === '' || this.options.schema.includes('\0')) throw new UsageError('--schema must be a non-empty name');
    if (this.options.searchPath) assertSearchPath(this.options.searchPath, this.dialect);
  }

  /** The dialect of the target's engine: the folder is read in it before anything connects. */
  get dialect(): Dialect {
    return dialectNamed(this.options.driver?.dialect ?? dialectOfUrl(this.options.db ?? DEFAULT_DATABASE_URL));
  }

  /** The folder, read and validated in the target's dialect; for a run (`up`, `down`), with a value for every variable. */
  private async project(given?: Project, runs = false): Promise<Project> {
    const { dialect } = this;
    given ??= this.options.project;
    if (given && given.dialect !== dialect) {
      throw new UsageError(`the project was read as ${given.dialect.name}, but the database speaks ${dialect.name}`, {
        hint: 'load it with loadProject(dir, dialectNamed(...)) for this database',
      });
    }
    const project = given ?? await loadProject(this.options.dir, dialect);
    if (runs) unwrap({ value: undefined, diagnostics: missingValues(project.order, this.values(project)) });
    return project;
  }

  /** The values of the variables the folder's files declare, and those that reverts run from the history declare. */
  private values(project: Project, steps: readonly Step[] = []): Map<string, string> {
    const values = declaredValues(project.order, this.options.vars);
    for (const name of steps.filter((s) => !s.migration).flatMap(stepVariables)) {
      if (this.options.vars && Object.hasOwn(this.options.vars, name)) values.set(name, this.options.vars[name]);
    }
    return values;
  }

  /** Applies pending migrations in order (with `to`: NAME and what it requires). */
  async up(options: UpOptions = {}): Promise<RunResult> {
    const project = await this.project(options.project, true);
    return this.withDatabase(options.dryRun ? 'read' : 'create', project, async (driver, session, history, rows) => {
      const review = reviewHistory(project, rows);
      // With --allow-drift, what was allowed comes back as warnings, reported with the result.
      const allowed = throwIntegrity(integrityProblems(migrationStatuses(project, rows, review), this.options.allowDrift));
      const steps = unwrap(planUp(project, rows, { to: options.to }, review));
      if (options.singleTransaction) assertAllTransactional(steps, (step) => runsAtomically(step, driver, project.dialect));
      if (!options.dryRun) await absorbHistoryUpdates(session, history, project, rows, review);
      const result = options.logOnly
        ? await this.recordLogOnly(driver, session, history, steps, project, options.dryRun ?? false)
        : await this.execute('up', driver, session, history, steps, project, options.dryRun, options.singleTransaction);
      result.warnings = [...result.warnings, ...allowed];
      return result;
    });
  }

  /** Reverts applied migrations, last applied first (default: the last one). */
  async down(options: DownOptions = { count: 1 }): Promise<RunResult> {
    const project = await this.project(options.project, true);
    return this.withDatabase(options.dryRun ? 'read' : 'write', project, async (driver, session, history, rows) => {
      const review = reviewHistory(project, rows);
      // Drift does not stop a revert (that is how one undoes a mistake), but a half-applied file does.
      throwIntegrity(integrityProblems(migrationStatuses(project, rows, review), true));
      const steps = unwrap(planDown(project, rows, options));
      unwrap({ value: undefined, diagnostics: missingStoredValues(steps, project.dialect, this.values(project, steps)) });
      if (!options.dryRun) await absorbHistoryUpdates(session, history, project, rows, review);
      return this.execute('down', driver, session, history, steps, project, options.dryRun, false);
    });
  }

  /**
   * Records as applied, without running them, the pending migrations that `choose` picks once the lock
   * is held and the history read — `sqlmig import --db` picks what another tool's history shows — all in
   * one transaction, as `up --log-only` does. `reason` goes into each row's resolve event.
   */
  async adopt(
    choose: (session: Session, pending: readonly Step[]) => Promise<Step[]>,
    options: { project?: Project; dryRun?: boolean; reason?: string } = {},
  ): Promise<RunResult> {
    const project = await this.project(options.project);
    return this.withDatabase(options.dryRun ? 'read' : 'create', project, async (driver, session, history, rows) => {
      const review = reviewHistory(project, rows);
      throwIntegrity(integrityProblems(migrationStatuses(project, rows, review), this.options.allowDrift));
      const steps = await choose(session, unwrap(planUp(project, rows, {}, review)));
      return this.recordLogOnly(driver, session, history, steps, project, options.dryRun ?? false, options.reason);
    });
  }

  /**
   * The database's schema as SQL that loads into an empty database, in a stable order, ending with the
   * applied migrations as comments (`sqlmig dump`). Read-only: no lock; a database not created yet dumps empty.
   */
  async dump(options: { project?: Project } = {}): Promise<DumpResult> {
    const project = await this.project(options.project);
    const { schema } = this.options;
    return this.withDatabase('read', project, async (driver, session, _history, rows) => {
      if (!driver.dump) {
        throw new UsageError(`sqlmig dump does not support ${driver.display} yet`, { hint: 'it dumps PostgreSQL, the embedded PostgreSQL, SQLite, MySQL and MariaDB' });
      }
      const dumped = isAbsentSession(session) ? { sql: '', skipped: [] } : await driver.dump(session, schema);
      const applied = rows.filter((r) => r.status === 'applied').map((r) => r.name);
      return { database: driver.display, sql: renderDump(dumped.sql, applied, schema), applied, skipped: dumped.skipped };
    });
  }

  /** Every migration with its state; read-only (no lock, creates nothing). */
  async status(): Promise<StatusResult> {
    const project = await this.project();
    return this.withDatabase('read', project, async (driver, _session, _history, rows) =>
      ({ database: driver.display, migrations: migrationStatuses(project, rows), warnings: project.warnings }));
  }

  /**
   * Repairs the history by hand: a failed `transaction: off` migration marked `applied` or forgotten
   * (`reverted`), a deliberate edit of an applied file `accepted`, a renamed file followed (`{ renamedTo }`).
   * Forgetting a healthy applied migration would leave its objects behind, so it takes `force`.
   */
  async resolve(name: string, action: ResolveAction, options: { force?: boolean } = {}): Promise<ResolveResult> {
    const project = await this.project();
    return this.withDatabase('write', project, async (_driver, session, history, rows) => {
      await absorbHistoryUpdates(session, history, project, rows);
      return resolveMigration({ project, session, history, rows }, name, action, options);
    });
  }

  /** Stops the run: cancels the running statement; the run rolls back, releases the lock and throws InterruptedError. */
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void {
    if (this.interruptedBy) return;
    this.interruptedBy = signal;
    if (this.cancelCapable) void this.activeSession?.cancel().catch(() => undefined);
  }

  /** `access`: only `create` (up) may create a database that is not there yet, such as a new embedded folder. */
  private async withDatabase<T>(
    access: 'read' | 'write' | 'create',
    project: Project,
    work: (driver: Driver, session: Session, history: History, rows: HistoryRow[]) => Promise<T>,
  ): Promise<T> {
    this.options.onDatabase?.(true);
    try {
      return await this.runOnDatabase(access, project, work);
    } finally {
      this.options.onDatabase?.(false);
    }
  }

  private async runOnDatabase<T>(
    access: 'read' | 'write' | 'create',
    project: Project,
    work: (driver: Driver, session: Session, history: History, rows: HistoryRow[]) => Promise<T>,
  ): Promise<T> {
    const driver = this.options.driver ?? await this.openConfiguredDriver(project);
    if (access !== 'create' && driver.exists && !(await driver.exists())) {
      // No database, so no history: plan against an empty one, connect to nothing, leave nothing behind.
      const none = absentSession(driver.display);
      return work(driver, none, new History(driver.history(none, this.options.schema)), []);
    }
    const write = access !== 'read';
    const session = await connectWithin(driver, this.options.connectWaitMs, () => this.interruptedBy, this.options.onProgress);
    this.activeSession = session;
    this.cancelCapable = driver.capabilities.cancel;
    const { schema } = this.options;
    const lock = driver.lock(session, schema);
    let locked = false;
    let failed = false;
    try {
      const store = driver.history(session, schema);
      if (write) {
        await acquireLock(lock, this.options.lockWaitMs, schema, () => this.interruptedBy !== undefined, this.options.onProgress);
        locked = true;
        await store.ensure();
        // A tenant's schema, made by the first run that writes to it, as the history's own.
        if (access === 'create' && this.options.searchPath !== undefined) await driver.ensureSchema?.(session, schemasOf(this.options.searchPath)[0]);
      }
      // Read only now: under the lock, so what we plan from is what no one else is changing.
      const rows = write || (await store.exists()) ? await store.read() : [];
      const history = new History(store);
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

  /** What every migration statement runs with: the timeouts, and the tenant's search_path. */
  private settings(): SessionSettings {
    const { lockTimeoutMs, statementTimeoutMs, searchPath } = this.options;
    return { lockTimeoutMs, statementTimeoutMs, ...(searchPath !== undefined && { searchPath: schemasOf(searchPath) }) };
  }

  private async openConfiguredDriver(project: Project): Promise<Driver> {
    const url = this.options.db ?? DEFAULT_DATABASE_URL;
    const uses = extensionsCreatedBy(project.order, project.dialect);
    const driver = await openDriver(url, { lockWaitMs: this.options.lockWaitMs, extensions: uses.map((u) => u.name) });
    assertExtensionsAvailable(driver, uses);
    if (this.options.db === undefined) {
      this.options.onNotice?.(`using the embedded database at ${url.slice('pglite:'.length)}/ (set --db or DATABASE_URL to use a server)`);
    }
    return driver;
  }

  /** `up --log-only`: every pending migration recorded, none run, in one transaction (all or nothing). */
  private async recordLogOnly(
    driver: Driver, session: Session, history: History, steps: Step[], project: Project, dryRun: boolean, reason?: string,
  ): Promise<RunResult> {
    const result: RunResult = { command: 'up', dryRun, database: driver.display, steps: [], warnings: project.warnings };
    if (dryRun) {
      result.steps = steps.map((s) => ({ name: s.name, action: s.action, logOnly: true, ...reapplied(s) }));
      return result;
    }
    await withTransaction(session, async () => {
      for (const [index, step] of steps.entries()) {
        await history.loggedOnly(appliedRecordOf(step.migration!), { reapply: step.reapply, reason });
        result.steps.push({ name: step.name, action: step.action, durationMs: 0, logOnly: true, ...reapplied(step) });
        this.options.onProgress?.({ type: 'done', step, index, total: steps.length, durationMs: 0, logOnly: true });
      }
    }, driver.beginSql(this.settings()));
    return result;
  }

  private async execute(
    command: 'up' | 'down', driver: Driver, session: Session, history: History, steps: Step[], project: Project,
    dryRun = false, singleTransaction = false,
  ): Promise<RunResult> {
    const result: RunResult = { command, dryRun, database: driver.display, steps: [], warnings: project.warnings };
    if (dryRun) {
      result.steps = steps.map((s) => ({ name: s.name, action: s.action, sql: s.sql, ...reapplied(s) }));
      return result;
    }
    const settings = this.settings();
    const { onServerNotice } = this.options;
    const runner = new StepRunner({
      driver, session, history, dialect: project.dialect, settings, interrupted: () => this.interruptedBy,
      onNotice: onServerNotice && ((migration, notice) => onServerNotice({ migration, ...notice })), variables: this.values(project, steps),
    });
    // Once per run, where the engine cannot keep the promise for every file (MySQL's DDL commits implicitly).
    if (steps.some((step) => step.transactional && !runsAtomically(step, driver, project.dialect))) {
      this.options.onNotice?.('the server commits DDL implicitly: files holding DDL run statement by statement, '
        + 'and a failure leaves the file "failed at statement N" (sqlmig status) until sqlmig resolve; files of DML only run in one transaction');
    }
    if (singleTransaction) await session.execute(driver.beginSql(settings));
    try {
      for (const [index, step] of steps.entries()) {
        await runner.stopIfInterrupted();
        this.options.onProgress?.({ type: 'start', step, index, total: steps.length });
        const durationMs = await runner.run(step, singleTransaction);
        result.steps.push({ name: step.name, action: step.action, durationMs, ...reapplied(step) });
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
    const code = failure.sqlstate ? ` (SQLSTATE ${failure.sqlstate})` : failure.code ? ` (${failure.code})` : '';
    return new ConnectionError(`database error on ${driver.display}: ${failure.message}${code}`,
      { code: 'database', cause: error, hint: failure.hint });
  }
  if (error instanceof Error && /connection|terminated|ECONNRESET|EPIPE/i.test(error.message)) {
    return new ConnectionError(`lost the connection to ${driver.display}: ${error.message}`, {
      code: 'connection-lost', cause: error, hint: 'the server rolls back an open transaction when a connection drops; run the command again',
    });
  }
  return error;
}

const reapplied = (step: Step) => (step.reapply ? { reapply: true } : {});

/** A writing run first records what the history already shows (upgraded checksums, satisfied requires), in one transaction. */
async function absorbHistoryUpdates(
  session: Session, history: History, project: Project, rows: readonly HistoryRow[], review?: HistoryReview,
): Promise<void> {
  const updates = historyUpdates(project, rows, review);
  if (updates.length > 0) await withTransaction(session, () => history.absorb(updates));
}
