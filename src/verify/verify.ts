// `sqlmig verify`: on scratch databases, prove each revert undoes its deploy and each file declares what it needs.
import type { SourcePosition } from '../core/diagnostic.js';
import { requirementsOf, type MigrationGraph } from '../core/graph.js';
import type { Migration } from '../core/migration.js';
import type { Step } from '../core/plan.js';
import { diffSnapshots, type SnapshotDifference } from '../core/snapshot.js';
import type { Dialect } from '../core/dialect.js';
import { extensionsCreatedBy } from '../core/extensions.js';
import type { Scratch } from '../drivers/driver.js';
import { dialectOfUrl, embeddedScratchUrl, openDriver } from '../drivers/index.js';
import { declaredValues, missingValues, redactValuesIn } from '../core/variable-values.js';
import type { VariableValues } from '../core/variables.js';
import { InputError, InterruptedError, MigrationError, SqlmigError, UsageError } from '../errors.js';
import { StepRunner } from '../execute.js';
import { History } from '../history.js';
import { creatorOf } from './missing-object.js';
import { ScratchPool } from './scratch-pool.js';

const HISTORY_SCHEMA = 'sqlmig';

export type VerifyStatus =
  | 'ok' | 'revert-incomplete' | 'deploy-failed' | 'revert-failed' | 'redeploy-failed' | 'irreversible' | 'not-run'
  | 'missing-requires' | 'requirement-failed';

export interface VerifyFailure {
  message: string;
  position?: SourcePosition;
  sqlstate?: string;
}

export interface VerifyFileResult {
  name: string;
  path: string;
  status: VerifyStatus;
  differences?: SnapshotDifference[];
  error?: VerifyFailure;
  /** For a missing requires: the object that was missing and the migration that creates it. */
  missing?: { object: string; createdBy?: string };
}

export interface VerifyReport {
  mode: 'round-trip' | 'isolation';
  /** Where the scratch databases were. */
  scratch: string;
  results: VerifyFileResult[];
  ok: boolean;
}

export interface VerifyOptions {
  /** A server URL: scratch databases are created (and dropped) there. Default: in memory (PGlite, or SQLite for a SQLite project). */
  db?: string;
  isolation?: boolean;
  onResult?: (result: VerifyFileResult, index: number, total: number) => void;
  /**
   * Stops the run when aborted ('SIGTERM' as the reason makes it exit 143, anything else 130): the
   * running statement is cancelled and rolled back, every scratch database dropped, InterruptedError thrown.
   */
  signal?: AbortSignal;
  /** What does not change the report but needs the user: a scratch database that could not be dropped, named. */
  onWarning?: (message: string) => void;
  /** Values of the variables files declare, as for `up`: one for each. Results show them as `:name`. */
  vars?: Readonly<Record<string, string>>;
}

/** The folder to verify: its graph, and the dialect its files were read in. */
export interface VerifiedProject extends MigrationGraph {
  dialect: Dialect;
}

const PASSING: ReadonlySet<VerifyStatus> = new Set(['ok', 'irreversible']);

export async function verifyProject(project: VerifiedProject, options: VerifyOptions = {}): Promise<VerifyReport> {
  const url = options.db ?? embeddedScratchUrl(project.dialect.name);
  if (dialectOfUrl(url) !== project.dialect.name) {
    throw new UsageError(`verify --db names a ${dialectOfUrl(url)} database, but the project is read as ${project.dialect.name}`);
  }
  const values = declaredValues(project.order, options.vars);
  const missing = missingValues(project.order, values);
  if (missing.length > 0) throw new InputError(missing);
  const { signal } = options;
  const interrupted = () => (!signal?.aborted ? undefined : signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  const extensions = extensionsCreatedBy(project.order, project.dialect).map((u) => u.name);
  const driver = await openDriver(url, { lockWaitMs: 0, extensions });
  const pool = new ScratchPool(await driver.scratchDatabases(options.isolation === true), options.onWarning);
  const cancel = () => pool.cancelRunning();
  signal?.addEventListener('abort', cancel);
  const run = (scratch: Scratch) => runnerFor(scratch, project.dialect, interrupted, values);
  // Differences name objects (a schema named by a variable): results show values as their placeholders.
  const onResult = options.onResult && ((r: VerifyFileResult, i: number, n: number) => options.onResult!(redactValuesIn(r, values), i, n));
  let outcome: { results: VerifyFileResult[] } | { error: unknown };
  try {
    outcome = {
      results: (options.isolation
        ? await isolation(project, () => pool.create(), run, onResult)
        : await roundTrip(project, await pool.create(), run, onResult)).map((r) => redactValuesIn(r, values)),
    };
  } catch (error) {
    outcome = { error };
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  // Whatever stopped the run, every scratch database is dropped (or named) before it ends.
  const leftBehind = await pool.close();
  const stoppedBy = interrupted();
  if (stoppedBy) {
    throw new InterruptedError(stoppedBy, leftBehind === 0 ? 'rolled back; every scratch database dropped'
      : `rolled back; ${leftBehind} scratch database${leftBehind === 1 ? '' : 's'} could not be dropped (named above)`);
  }
  if ('error' in outcome) throw outcome.error;
  const { results } = outcome;
  return { mode: options.isolation ? 'isolation' : 'round-trip', scratch: pool.display, results, ok: results.every((r) => PASSING.has(r.status)) };
}

function deployStep(m: Migration): Step {
  return { action: 'deploy', name: m.name, migration: m, sql: m.deploy.sql, section: m.deploy, verify: m.verify, transactional: m.transactional };
}

function revertStep(m: Migration): Step {
  return { action: 'revert', name: m.name, migration: m, sql: m.revert!.sql, section: m.revert, transactional: m.transactional };
}

/** Runs steps on one scratch database. */
type Runner = Pick<StepRunner, 'run'>;
type RunnerFor = (scratch: Scratch) => Promise<Runner>;

/** A step runner that stops before each step once the run is interrupted (a cancel stops the running one). */
async function runnerFor(
  scratch: Scratch, dialect: Dialect, interrupted: () => 'SIGINT' | 'SIGTERM' | undefined, variables: VariableValues,
): Promise<Runner> {
  const store = scratch.driver.history(scratch.session, HISTORY_SCHEMA);
  await store.ensure();
  const runner = new StepRunner({
    driver: scratch.driver, session: scratch.session, history: new History(store), dialect,
    settings: { lockTimeoutMs: 0, statementTimeoutMs: 0 }, interrupted, variables,
  });
  return {
    run(step, inRunTransaction) {
      const signal = interrupted();
      return signal ? Promise.reject(new InterruptedError(signal)) : runner.run(step, inRunTransaction);
    },
  };
}

/** What a failed step tells the report; an interruption is no finding and ends the run. */
function failureOf(error: unknown): VerifyFailure {
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
 * For each file in order: snapshot, deploy, revert, snapshot, compare, then deploy for good — on one
 * scratch database. A transactional file is checked inside a transaction that is rolled back, so a
 * broken revert cannot disturb the checks of the files after it; a `transaction: off` file is
 * deployed, reverted and deployed again. A deploy that fails stops the run: what follows needs it.
 */
async function roundTrip(
  project: MigrationGraph, scratch: Scratch, runnerFor: RunnerFor, onResult: VerifyOptions['onResult'],
): Promise<VerifyFileResult[]> {
  const results: VerifyFileResult[] = [];
  const total = project.order.length;
  const push = (r: VerifyFileResult) => { results.push(r); onResult?.(r, results.length - 1, total); };
  try {
    const runner = await runnerFor(scratch);
    let stopped = false;
    for (const m of project.order) {
      const base = { name: m.name, path: m.path };
      if (stopped) { push({ ...base, status: 'not-run' }); continue; }
      const check = m.revert ? await checkRevert(scratch, runner, m) : { status: 'irreversible' as const };
      if (check.status === 'deploy-failed' || check.status === 'redeploy-failed') stopped = true;
      // A check inside a rolled-back transaction leaves the file undeployed; one outside deployed it again already.
      else if (checkedInTransaction(scratch, m) || check.status === 'irreversible') {
        try {
          await runner.run(deployStep(m), false);
        } catch (error) {
          push({ ...base, status: 'deploy-failed', error: failureOf(error) });
          stopped = true;
          continue;
        }
      }
      push({ ...base, ...check });
    }
  } finally {
    await scratch.dispose();
  }
  return results;
}

type Check = Pick<VerifyFileResult, 'status' | 'differences' | 'error'>;

async function checkRevert(scratch: Scratch, runner: Runner, m: Migration): Promise<Check> {
  const { session, driver } = scratch;
  const before = await driver.snapshot(session, HISTORY_SCHEMA);
  // Where DDL cannot be rolled back, the round trip is deploy, revert, compare, deploy.
  const inTransaction = checkedInTransaction(scratch, m);
  const check = async (): Promise<Check> => {
    try {
      await runner.run(deployStep(m), inTransaction);
    } catch (error) {
      return { status: 'deploy-failed', error: failureOf(error) };
    }
    try {
      await runner.run(revertStep(m), inTransaction);
    } catch (error) {
      // Outside a transaction the revert rolled back on its own and the deploy stays: the run goes on.
      return { status: 'revert-failed', error: failureOf(error) };
    }
    const differences = diffSnapshots(before, await driver.snapshot(session, HISTORY_SCHEMA));
    if (!inTransaction) {
      try {
        await runner.run(deployStep(m), false);
      } catch (error) {
        return { status: 'redeploy-failed', differences, error: failureOf(error) };
      }
    }
    return { status: differences.length > 0 ? 'revert-incomplete' : 'ok', differences };
  };
  return inTransaction ? rolledBack(scratch, check) : check();
}

/** Whether a file's round trip runs inside a transaction that is rolled back (a transactional file, where DDL is transactional). */
function checkedInTransaction({ driver }: Scratch, m: Migration): boolean {
  return m.transactional && driver.capabilities.transactionalDdl;
}

/** Runs `work` in a transaction that is always rolled back: the scratch database is as before. */
async function rolledBack<T>({ session }: Scratch, work: () => Promise<T>): Promise<T> {
  await session.execute('BEGIN');
  try {
    return await work();
  } finally {
    await session.execute('ROLLBACK');
  }
}

/**
 * For each file: a database holding only what it transitively requires, then its deploy. Where every
 * file involved runs in a transaction, one scratch database serves all, each check rolled back;
 * a `transaction: off` file needs a fresh database.
 */
async function isolation(
  project: MigrationGraph, create: () => Promise<Scratch>, runnerFor: RunnerFor, onResult: VerifyOptions['onResult'],
): Promise<VerifyFileResult[]> {
  const results: VerifyFileResult[] = [];
  let shared: { scratch: Scratch; runner: Runner } | undefined;
  try {
    for (const [index, m] of project.order.entries()) {
      const chain = [...requirementsOf(project, m.name).map((n) => project.byName.get(n)!), m];
      let result: VerifyFileResult;
      if (chain.every((c) => c.transactional)) {
        if (!shared) { const scratch = await create(); shared = { scratch, runner: await runnerFor(scratch) }; }
        const { runner, scratch } = shared;
        if (scratch.driver.capabilities.transactionalDdl) {
          result = await rolledBack(scratch, () => deployChain(project, scratch, runner, chain, true));
        } else {
          shared = undefined;
          try {
            result = await deployChain(project, scratch, runner, chain, false);
          } finally {
            await scratch.dispose();
          }
        }
      } else {
        const scratch = await create();
        try {
          result = await deployChain(project, scratch, await runnerFor(scratch), chain, false);
        } finally {
          await scratch.dispose();
        }
      }
      results.push(result);
      onResult?.(result, index, project.order.length);
    }
  } finally {
    await shared?.scratch.dispose();
  }
  return results;
}

async function deployChain(
  project: MigrationGraph, { driver }: Scratch, runner: Runner, chain: Migration[], inTransaction: boolean,
): Promise<VerifyFileResult> {
  const m = chain[chain.length - 1];
  const base = { name: m.name, path: m.path };
  for (const c of chain) {
    try {
      await runner.run(deployStep(c), inTransaction);
    } catch (error) {
      const failure = failureOf(error);
      if (c !== m) return { ...base, status: 'requirement-failed', error: { ...failure, message: `requirement ${c.name} failed: ${failure.message}` } };
      const object = driver.missingObjectOf({ message: failure.message, sqlstate: failure.sqlstate });
      if (!object) return { ...base, status: 'deploy-failed', error: failure };
      const createdBy = creatorOf(project, object, new Set(chain.map((x) => x.name)));
      return { ...base, status: 'missing-requires', error: failure, missing: { object, createdBy } };
    }
  }
  return { ...base, status: 'ok' };
}
