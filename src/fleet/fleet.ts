// Many databases in one run: the folder read once, a Migrator per target, a bounded number at once, in list order.
import { hasErrors, type Diagnostic } from '../core/diagnostic.js';
import type { Dialect } from '../core/dialect.js';
import { redactUrl } from '../drivers/url.js';
import { ExitCode, InputError, SqlmigError, UsageError } from '../errors.js';
import {
  Migrator, type DownOptions, type MigratorOptions, type ProgressEvent, type RunResult, type ServerNotice, type StatusResult, type UpOptions,
} from '../migrator.js';
import { loadProject, type Project } from '../project.js';
import { checkTargets, type Target } from './targets.js';

/** What every target's Migrator gets alike. */
type SharedOptions = Pick<MigratorOptions, 'lockWaitMs' | 'connectWaitMs' | 'lockTimeoutMs' | 'statementTimeoutMs' | 'allowDrift'>;

export interface FleetOptions extends SharedOptions {
  /** The migrations folder. */
  dir: string;
  /** The databases, in the order they start. */
  targets: readonly Target[];
  /** The folder as already read by `loadProject(dir, dialect)`; read once here otherwise. */
  project?: Project;
  /** How many targets run at once (default 4): each holds one connection while it runs. */
  parallel?: number;
  /** Run the first N targets alone, and no other unless all N succeeded (default 0: none). */
  canary?: number;
  /** Start no new target once one has failed (default: every target is tried). */
  failFast?: boolean;
  /** Targets as they start and finish, and each target's own steps and waits, with its name. */
  onProgress?: (event: FleetEvent) => void;
  /** Notices for the user, with the target they concern. */
  onNotice?: (message: string, target: string) => void;
  /** What the server says while a target's migration runs. */
  onServerNotice?: (notice: ServerNotice & { target: string }) => void;
}

/** What happened on one target: never thrown, so that one target's failure is data beside the others' results. */
export type TargetOutcome<T> =
  | { name: string; database: string; result: T }
  | { name: string; database: string; error: SqlmigError };

export interface FleetResult<T> {
  /** One outcome per target, in list order; a target that never started has an error with code `not-run`. */
  targets: TargetOutcome<T>[];
  /** 0 when every target succeeded; otherwise the exit code of the first failed target in list order, or 130/143 after a signal. */
  exitCode: ExitCode;
}

export type FleetEvent =
  | { type: 'target-start'; target: string; index: number; total: number }
  | { type: 'target-done'; target: string; index: number; total: number; outcome: TargetOutcome<unknown>; durationMs: number }
  | (ProgressEvent & { target: string });

/** Why targets did not start: a failed canary, --fail-fast, a signal. */
interface Stop {
  reason: string;
  exitCode: ExitCode;
}

/**
 * Applies, reverts or reads the migrations of one folder on many databases (a database per tenant,
 * a schema per tenant, shards, regions).
 *
 * ```ts
 * const fleet = new Fleet({ dir: 'migrations', targets: [
 *   { name: 'eu-1', db: 'postgres://app@eu-1.db/app' },
 *   { name: 'tenant_42', db: 'postgres://app@db/app', searchPath: 'tenant_42' },
 * ], parallel: 8 });
 * const { targets, exitCode } = await fleet.up();
 * for (const t of targets) if ('error' in t) console.error(t.name, t.error.message);
 * ```
 *
 * The folder is read and validated once, before any connection. Each target has its own session, lock
 * and history; a target's failure is its outcome and never stops or touches another (unless `failFast`).
 */
export class Fleet {
  private readonly targets: readonly Target[];
  private readonly dialect: Dialect;
  private readonly parallel: number;
  private loaded?: Promise<Project>;
  private interruptedBy?: 'SIGINT' | 'SIGTERM';
  private readonly running = new Set<Migrator>();

  /** Throws InputError listing every problem of the targets (see `checkTargets`) before anything runs. */
  constructor(private readonly options: FleetOptions) {
    const checked = checkTargets(options.targets.map((t, i) => ({ ...t, label: `target ${i + 1}` })));
    throwErrors(checked.diagnostics);
    this.targets = checked.value.targets;
    this.dialect = checked.value.dialect!;
    this.parallel = options.parallel ?? 4;
    if (!Number.isInteger(this.parallel) || this.parallel < 1) throw new UsageError('--parallel takes a whole number of at least 1');
    const canary = options.canary ?? 0;
    if (!Number.isInteger(canary) || canary < 0) throw new UsageError('--canary takes a whole number of targets');
    if (options.project && options.project.dialect !== this.dialect) {
      throw new UsageError(`the project was read as ${options.project.dialect.name}, but the targets speak ${this.dialect.name}`);
    }
  }

  /** `up` on every target (the same options for each). */
  up(options: Omit<UpOptions, 'project'> = {}): Promise<FleetResult<RunResult>> {
    return this.run((migrator) => migrator.up(options));
  }

  /** `down` on every target: the same selection (`to`, `count`, `only`, `all`) on each. */
  down(options: DownOptions = { count: 1 }): Promise<FleetResult<RunResult>> {
    return this.run((migrator) => migrator.down(options));
  }

  /** `status` of every target; read-only. */
  status(): Promise<FleetResult<StatusResult>> {
    return this.run((migrator) => migrator.status());
  }

  /** Starts no new target and interrupts the running ones: each rolls back, releases its lock and ends with InterruptedError. */
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void {
    if (this.interruptedBy) return;
    this.interruptedBy = signal;
    for (const migrator of this.running) migrator.interrupt(signal);
  }

  private project(): Promise<Project> {
    return (this.loaded ??= this.options.project ? Promise.resolve(this.options.project) : loadProject(this.options.dir, this.dialect));
  }

  private async run<T>(work: (migrator: Migrator) => Promise<T>): Promise<FleetResult<T>> {
    const project = await this.project();
    const total = this.targets.length;
    const outcomes: TargetOutcome<T>[] = new Array(total);
    let next = 0;
    let stop: Stop | undefined;
    // Workers take targets in list order until `end`; each runs one target at a time.
    const runUpTo = async (end: number) => {
      const worker = async () => {
        while (next < end && !stop && !this.interruptedBy) {
          const index = next++;
          const outcome = await this.runTarget(index, project, work);
          outcomes[index] = outcome;
          if ('error' in outcome && this.options.failFast) {
            stop ??= { reason: `target "${outcome.name}" failed, and --fail-fast starts no new target`, exitCode: outcome.error.exitCode };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(0, Math.min(this.parallel, end - next)) }, worker));
    };
    const canary = Math.min(this.options.canary ?? 0, total);
    if (canary > 0) {
      await runUpTo(canary);
      const failed = outcomes.slice(0, canary).find((o) => 'error' in o);
      if (failed && 'error' in failed) {
        const reason = `canary "${failed.name}" failed: with --canary ${canary}, no other target starts`;
        stop ??= { reason, exitCode: failed.error.exitCode };
      }
    }
    await runUpTo(total);
    const signal = this.interruptedBy;
    const interrupted = signal && { reason: `interrupted by ${signal} before this target started`, exitCode: exitCodeOf(signal) };
    const notStarted = interrupted || stop;
    for (let i = 0; i < total; i++) {
      if (outcomes[i] || !notStarted) continue;
      outcomes[i] = { ...this.identify(this.targets[i]), error: new SqlmigError('not-run', notStarted.exitCode, `not run: ${notStarted.reason}`) };
    }
    // After a signal the run's code is the signal's; otherwise the first failed target's, in list order.
    const firstFailure = outcomes.find((o): o is Extract<TargetOutcome<T>, { error: SqlmigError }> => 'error' in o);
    return { targets: outcomes, exitCode: interrupted ? interrupted.exitCode : firstFailure?.error.exitCode ?? ExitCode.ok };
  }

  /** One target, start to end; whatever happens is its outcome. */
  private async runTarget<T>(index: number, project: Project, work: (migrator: Migrator) => Promise<T>): Promise<TargetOutcome<T>> {
    const target = this.targets[index];
    const { onProgress, onNotice, onServerNotice } = this.options;
    const total = this.targets.length;
    const started = performance.now();
    onProgress?.({ type: 'target-start', target: target.name, index, total });
    let migrator: Migrator | undefined;
    let outcome: TargetOutcome<T>;
    try {
      const { lockWaitMs, connectWaitMs, lockTimeoutMs, statementTimeoutMs, allowDrift } = this.options;
      migrator = new Migrator({
        dir: project.dir, db: target.db, schema: target.schema, searchPath: target.searchPath, project,
        ...definedOnly({ lockWaitMs, connectWaitMs, lockTimeoutMs, statementTimeoutMs, allowDrift }),
        onProgress: onProgress && ((event) => onProgress({ ...event, target: target.name })),
        onNotice: onNotice && ((message) => onNotice(message, target.name)),
        onServerNotice: onServerNotice && ((notice) => onServerNotice({ ...notice, target: target.name })),
      });
      this.running.add(migrator);
      if (this.interruptedBy) migrator.interrupt(this.interruptedBy);
      outcome = { ...this.identify(target), result: await work(migrator) };
    } catch (error) {
      outcome = { ...this.identify(target), error: asSqlmigError(error) };
    } finally {
      if (migrator) this.running.delete(migrator);
    }
    onProgress?.({ type: 'target-done', target: target.name, index, total, outcome, durationMs: performance.now() - started });
    return outcome;
  }

  private identify(target: Target): { name: string; database: string } {
    return { name: target.name, database: redactUrl(target.db) };
  }
}

function exitCodeOf(signal: 'SIGINT' | 'SIGTERM'): ExitCode {
  return signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
}

/** A failure that is not sqlmig's own is a bug: exit 70, as for one database. */
function asSqlmigError(error: unknown): SqlmigError {
  if (error instanceof SqlmigError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SqlmigError('internal', ExitCode.internalError, `internal error: ${message}`, { cause: error });
}

/** Options given as `undefined` would hide the Migrator's defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function throwErrors(diagnostics: Diagnostic[]): void {
  if (hasErrors(diagnostics)) throw new InputError(diagnostics.filter((d) => d.severity === 'error'));
}
