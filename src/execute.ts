// Runs one step on the session: its SQL, its verify section and its history write, atomically where the engine allows.
import { commitsImplicitly, type Dialect } from './core/dialect.js';
import type { Step } from './core/plan.js';
import type { Migration, Section } from './core/migration.js';
import { mayChangeSession, StepScript, sectionStatements, type ScriptSection, type SectionKind } from './core/step-script.js';
import { countCodePoints } from './core/text.js';
import { bindStep, redactValues, storedRevertSql } from './core/variable-values.js';
import type { VariableValues } from './core/variables.js';
import type { AppliedRecord, DatabaseNotice, Driver, Session, SessionSettings } from './drivers/driver.js';
import { InterruptedError } from './errors.js';
import type { History } from './history.js';
import { stepFailure, type StatementRun } from './step-failure.js';

export interface StepContext {
  driver: Driver;
  session: Session;
  history: History;
  /** How the step's SQL splits into statements (the project's dialect). */
  dialect: Dialect;
  settings: SessionSettings;
  /** The signal that stopped the run, once one has. */
  interrupted(): 'SIGINT' | 'SIGTERM' | undefined;
  /** Receives what the server says while a migration's own SQL runs (not sqlmig's statements). */
  onNotice?: (migration: string, notice: DatabaseNotice) => void;
  /** The run's variable values: substituted into the files that declare them, shown as `:name` in what the server says. */
  variables?: VariableValues;
}

const NO_VALUES: VariableValues = new Map();

interface SectionOptions {
  /** SQL sent in the same query before the first statement (BEGIN and the run's settings). */
  prefix?: string;
  /** Called before each statement with its 1-based number. */
  beforeStatement?: (statement: number) => Promise<void>;
}

/** A section stopped at a statement: the error to report, and how many of its statements completed first. */
class SectionFailure {
  constructor(readonly error: unknown, readonly completed: number) {}
}

export class StepRunner {
  private begin?: string;

  constructor(private readonly ctx: StepContext) {}

  /**
   * Throws InterruptedError once a signal has stopped the run. Where a running statement cannot be
   * cancelled (an in-process engine), this is where the run stops: before each statement. Such an
   * engine's promises resolve without the event loop ever turning, so the signal's handler runs only
   * when given a turn here; a server's driver returns to the loop on every round trip anyway.
   */
  async stopIfInterrupted(): Promise<void> {
    if (!this.ctx.driver.capabilities.cancel) await new Promise((turn) => setImmediate(turn));
    const signal = this.ctx.interrupted();
    if (signal) throw new InterruptedError(signal);
  }

  /**
   * Runs a step; `inRunTransaction` when --single-transaction already opened the transaction. Three
   * ways: one script per step where the session runs scripts and the history has a script form; one
   * statement at a time inside a transaction; or, for `transaction: off` files and engines whose DDL
   * is not transactional, one statement at a time with the history marking each.
   */
  async run(planned: Step, inRunTransaction: boolean): Promise<number> {
    const started = performance.now();
    const { session, history, driver } = this.ctx;
    const step = bindStep(planned, this.ctx.dialect, this.values);
    if (!runsAtomically(step, driver, this.ctx.dialect)) await this.runStatementByStatement(step, started);
    // A re-apply replaces its row, which the script's one history write does not.
    else if (session.executeScript && history.store.scriptWrites && !step.reapply) await this.runAsScript(step, inRunTransaction);
    else await this.runTransactional(step, inRunTransaction, started);
    return performance.now() - started;
  }

  private async runTransactional(step: Step, inRunTransaction: boolean, started: number): Promise<void> {
    const { session, driver } = this.ctx;
    // BEGIN rides with the first statement: one round trip fewer per migration.
    const begin = inRunTransaction ? '' : `${this.beginSql()} `;
    // What the file's directives ask of the driver around the transaction (SQLite's foreign-keys: off).
    const guard = step.migration && driver.stepGuard?.(session, step.migration);
    await guard?.before();
    try {
      await this.runSectionOrThrow(step, step.action, step.sql, step.section, { prefix: begin });
      if (step.verify) await this.runSectionOrThrow(step, 'verify', step.verify.sql, step.verify);
      await this.stopIfInterrupted();
      await this.record(step, performance.now() - started, false);
      await guard?.beforeCommit().catch((error) => {
        throw this.migrationError(step, step.action, undefined, step.section, error);
      });
      if (!inRunTransaction) {
        await session.execute('COMMIT').catch((error) => {
          throw this.migrationError(step, step.action, undefined, step.section, error);
        });
      }
    } catch (error) {
      if (!inRunTransaction) await this.rollBack(step, error);
      throw error;
    } finally {
      await guard?.after();
    }
    if (!inRunTransaction && mayChangeSession(sectionsOf(step), this.ctx.dialect)) {
      await session.execute(driver.resetSql());
    }
  }

  /**
   * The whole step in one round trip: BEGIN and settings, the section's statements, the verify
   * section, the history write, COMMIT and the session reset. The server runs them in order and stops
   * at the first error; how many completed, or the error's position, names the failing statement.
   */
  private async runAsScript(step: Step, inRunTransaction: boolean): Promise<void> {
    const { session, driver, history, dialect } = this.ctx;
    const writes = history.store.scriptWrites!;
    const script = new StepScript({
      dialect,
      prefix: inRunTransaction ? '' : this.beginSql(),
      sections: sectionsOf(step),
      record: step.action === 'deploy' ? writes.applied(appliedRecordOf(step.migration!)) : writes.reverted(step.name),
      ...(inRunTransaction ? {} : { commit: true, reset: driver.resetSql() }),
    });
    const { completed, error } = await this.withNotices(step, () => session.executeScript!(script.text));
    if (error === undefined) return;
    // Only the reset after COMMIT failed: the step itself is applied.
    if (script.committed(completed)) throw error;
    let failure: unknown = error;
    const signal = this.ctx.interrupted();
    if (signal) failure = new InterruptedError(signal);
    else {
      const failed = script.failedStatement(completed, driver.failureOf(error)?.position);
      if (failed) {
        failure = this.migrationError(step, failed.kind, {
          sent: failed.text, codePointsBefore: failed.codePointStart, startInSection: failed.startInSection, number: failed.number,
        }, failed.section, error);
      } else if (script.ranAllStatements(completed)) {
        failure = this.migrationError(step, step.action, undefined, step.section, error);
      }
    }
    if (!inRunTransaction) await this.rollBack(step, failure);
    throw failure;
  }

  /**
   * `transaction: off`: outside a transaction, as the server would run a script. Before each statement
   * the history row names it as running (status failed), so a run that dies midway — a failing
   * statement, a kill, a lost connection — leaves "failed at statement N" and later runs stop until
   * `sqlmig resolve`. When the first statement fails nothing changed, and the row is put back.
   */
  private async runStatementByStatement(step: Step, started: number): Promise<void> {
    const { session, driver, history } = this.ctx;
    await session.execute(driver.sessionSettingsSql(this.ctx.settings));
    // A first deploy makes its row when its first statement starts; a re-apply marks the row it has.
    const record = step.action === 'deploy' && !step.reapply ? appliedRecordOf(step.migration!) : undefined;
    let ran = 0;
    try {
      try {
        ran = await this.runSection(step, step.action, step.sql, step.section, {
          beforeStatement: (n) => history.markRunning(step.name, step.action, n, record),
        });
        if (step.verify) await this.runSectionOrThrow(step, 'verify', step.verify.sql, step.verify);
      } catch (caught) {
        const { error, completed } = caught instanceof SectionFailure ? caught : new SectionFailure(caught, 0);
        const message = error instanceof Error ? error.message : String(error);
        // In the verify section every statement of the step has run; in the step, those before the failing one.
        const failedAt = ran > 0 ? ran : completed + 1;
        if (ran > 0 || completed > 0) await history.markFailed(step.name, failedAt, message).catch(() => undefined);
        else {
          await history.unmarkRunning(step.name, step.action, step.reapply).catch(() => undefined);
          await this.logFailure(step, error);
        }
        throw error;
      }
      await this.record(step, performance.now() - started, ran > 0);
    } finally {
      await session.execute(driver.resetSql()).catch(() => undefined);
    }
  }

  /** Runs the step's own SQL with the server's notices going to the caller, named after the step. */
  private async withNotices<T>(step: Step, run: () => Promise<T>): Promise<T> {
    const { session, onNotice } = this.ctx;
    if (!onNotice) return run();
    session.setNoticeListener((notice) => onNotice(step.name, this.redact(notice)));
    try {
      return await run();
    } finally {
      session.setNoticeListener(undefined);
    }
  }

  /** The step completed: `marked` when its history row was marked running before each statement. */
  private async record(step: Step, durationMs: number, marked: boolean): Promise<void> {
    const { history } = this.ctx;
    if (step.action === 'deploy') await history.applied({ ...appliedRecordOf(step.migration!), durationMs }, marked, step.reapply);
    else await history.reverted(step.name, durationMs);
  }

  private get values(): VariableValues {
    return this.ctx.variables ?? NO_VALUES;
  }

  /** What the server says quotes what it was sent, values included: they show as their placeholders. */
  private redact<T extends { message: string; detail?: string; hint?: string }>(said: T): T {
    const redact = (text: string | undefined) => text && redactValues(text, this.values);
    return { ...said, message: redact(said.message)!, detail: redact(said.detail), hint: redact(said.hint) };
  }

  /** BEGIN with the run's settings: the same for every step of a run. */
  private beginSql(): string {
    return (this.begin ??= this.ctx.driver.beginSql(this.ctx.settings));
  }

  /** After a failed transactional step: roll back, reset the session, log the failure. */
  private async rollBack(step: Step, failure: unknown): Promise<void> {
    const { session, driver } = this.ctx;
    await session.execute('ROLLBACK').catch(() => undefined);
    await session.execute(driver.resetSql()).catch(() => undefined);
    await this.logFailure(step, failure);
  }

  private async logFailure(step: Step, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.ctx.history.logEvent(step.name, 'fail', { error: message }).catch(() => undefined);
  }

  /**
   * Runs a section one statement at a time, as psql does: an error then names its statement, and a
   * runtime error without a position (division by zero, a constraint) still points at its line.
   * Returns how many statements ran; a failure throws a SectionFailure carrying that count.
   */
  private async runSection(step: Step, kind: SectionKind, sql: string, section: Section | undefined, options: SectionOptions = {}): Promise<number> {
    const { prefix = '', beforeStatement } = options;
    const statements = sectionStatements(sql, section, this.ctx.dialect);
    if (statements.length === 0 && prefix !== '') await this.ctx.session.execute(prefix);
    for (const [index, { start, end }] of statements.entries()) {
      const statement = sql.slice(start, end);
      const lead = index === 0 ? prefix : '';
      try {
        await this.stopIfInterrupted();
        await beforeStatement?.(index + 1);
      } catch (error) {
        throw new SectionFailure(error, index);
      }
      try {
        await this.withNotices(step, () => this.ctx.session.execute(lead + statement));
      } catch (error) {
        const signal = this.ctx.interrupted();
        if (signal) throw new SectionFailure(new InterruptedError(signal), index);
        throw new SectionFailure(this.migrationError(step, kind, {
          sent: statement, codePointsBefore: countCodePoints(lead), startInSection: start, number: index + 1,
        }, section, error), index);
      }
    }
    return statements.length;
  }

  /** runSection where the count of a failure does not matter: throws the failure's error itself. */
  private async runSectionOrThrow(step: Step, kind: SectionKind, sql: string, section: Section | undefined, options: SectionOptions = {}): Promise<void> {
    try {
      await this.runSection(step, kind, sql, section, options);
    } catch (caught) {
      throw caught instanceof SectionFailure ? caught.error : caught;
    }
  }

  /** The error of a failed statement (or of the commit, without `statementRun`), values shown as their placeholders. */
  private migrationError(step: Step, kind: SectionKind, statementRun: StatementRun | undefined, section: Section | undefined, error: unknown): unknown {
    const found = this.ctx.driver.failureOf(error);
    if (!found) return error;
    return stepFailure(step, kind, statementRun, section, this.redact(found), runsAtomically(step, this.ctx.driver, this.ctx.dialect), error);
  }
}

/**
 * Whether a step runs in one transaction with its history row: a transactional file, on an engine
 * whose DDL is transactional, or (MySQL) whose statements are all DML. Otherwise the step runs
 * statement by statement, the history marking each, so a failure says where it stopped.
 */
export function runsAtomically(step: Step, driver: Driver, dialect: Dialect): boolean {
  if (!step.transactional) return false;
  if (driver.capabilities.transactionalDdl) return true;
  return !sectionsOf(step).some(({ sql }) => commitsImplicitly(dialect, sql));
}

/** What the history keeps of a migration file when it is applied (the duration aside). */
export function appliedRecordOf(m: Migration): Omit<AppliedRecord, 'durationMs'> {
  return {
    name: m.name, checksum: m.checksum, requires: m.requires.map((r) => r.name),
    revertSql: storedRevertSql(m), transactional: m.transactional,
  };
}

/** What a step runs in its transaction: its section, then the verify section of a deploy. */
function sectionsOf(step: Step): ScriptSection[] {
  const own: ScriptSection = { kind: step.action, sql: step.sql, section: step.section };
  return step.verify ? [own, { kind: 'verify', sql: step.verify.sql, section: step.verify }] : [own];
}
