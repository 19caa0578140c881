// What verify's round trips and isolation checks share: steps of a file, a runner on a scratch database, failures as findings.
import type { SourcePosition } from '../core/diagnostic.js';
import type { Dialect } from '../core/dialect.js';
import type { Migration } from '../core/migration.js';
import type { VariableValues } from '../core/variables.js';
import type { Step } from '../core/plan.js';
import { mayChangeSession } from '../core/step-script.js';
import type { Scratch } from '../drivers/driver.js';
import { InterruptedError, MigrationError, SqlmigError } from '../errors.js';
import { StepRunner } from '../execute.js';
import { History } from '../history.js';

/** The history schema of every scratch database (left out of its snapshots). */
export const HISTORY_SCHEMA = 'sqlmig';

export interface VerifyFailure {
  message: string;
  position?: SourcePosition;
  sqlstate?: string;
}

export function deployStep(m: Migration): Step {
  return { action: 'deploy', name: m.name, migration: m, sql: m.deploy.sql, section: m.deploy, verify: m.verify, transactional: m.transactional };
}

export function revertStep(m: Migration): Step {
  return { action: 'revert', name: m.name, migration: m, sql: m.revert!.sql, section: m.revert, transactional: m.transactional };
}

/** Runs steps on one scratch database. */
export interface Runner {
  /** A step in its own transaction (or statement by statement), or with `inTransaction` inside the one open. */
  run(step: Step, inTransaction: boolean): Promise<unknown>;
  /**
   * Inside an open transaction, after a step that may have changed session state (search_path, role):
   * the reset `up` makes between files, so that the next file runs as it would there.
   */
  resetAfter(step: Step): Promise<void>;
}
export type RunnerFor = (scratch: Scratch) => Promise<Runner>;

/** A step runner that stops before each step once the run is interrupted (a cancel stops the running one). */
export async function runnerFor(
  scratch: Scratch, dialect: Dialect, interrupted: () => 'SIGINT' | 'SIGTERM' | undefined, variables: VariableValues,
): Promise<Runner> {
  const store = scratch.driver.history(scratch.session, HISTORY_SCHEMA);
  await store.ensure();
  const runner = new StepRunner({
    driver: scratch.driver, session: scratch.session, history: new History(store), dialect,
    settings: { lockTimeoutMs: 0, statementTimeoutMs: 0 }, interrupted, variables,
  });
  return {
    run(step, inTransaction) {
      const signal = interrupted();
      return signal ? Promise.reject(new InterruptedError(signal)) : runner.run(step, inTransaction);
    },
    async resetAfter(step) {
      if (mayChangeSession([{ sql: step.sql, section: step.section }, ...(step.verify ? [{ sql: step.verify.sql, section: step.verify }] : [])], dialect)) await scratch.session.execute(scratch.driver.resetSql());
    },
  };
}

/** What a failed step tells the report; an interruption is no finding and ends the run. */
export function failureOf(error: unknown): VerifyFailure {
  if (error instanceof InterruptedError) throw error;
  if (error instanceof MigrationError) {
    // The report already names the migration: keep the server's words and say which section failed.
    const { section, sqlstate, serverMessage } = error.details;
    return { message: section === 'deploy' ? serverMessage : `${section} section: ${serverMessage}`, position: error.position, sqlstate };
  }
  if (error instanceof SqlmigError) return { message: error.message, position: error.position };
  throw error;
}

/**
 * A transaction with savepoints, on one session: `mark` sets one and returns its depth, `undo(depth)`
 * returns to it (it stays set), `undoAll` ends the transaction rolling everything back.
 */
export class Savepoints {
  private depth = 0;
  private open = false;

  constructor(private readonly scratch: Scratch) {}

  get isOpen(): boolean {
    return this.open;
  }

  async begin(): Promise<void> {
    await this.scratch.session.execute('BEGIN');
    this.open = true;
    this.depth = 0;
  }

  async mark(): Promise<number> {
    await this.scratch.session.execute(`SAVEPOINT sqlmig_verify_${++this.depth}`);
    return this.depth;
  }

  async undo(depth: number): Promise<void> {
    await this.scratch.session.execute(`ROLLBACK TO SAVEPOINT sqlmig_verify_${depth}`);
    this.depth = depth;
  }

  async commit(): Promise<void> {
    this.open = false;
    await this.scratch.session.execute('COMMIT');
  }

  /** `undo(depth)` then `commit()`, in one round trip. */
  async undoAndCommit(depth: number): Promise<void> {
    await this.scratch.session.execute(`ROLLBACK TO SAVEPOINT sqlmig_verify_${depth}; COMMIT`);
    this.open = false;
  }

  async undoAll(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.scratch.session.execute('ROLLBACK');
  }
}
