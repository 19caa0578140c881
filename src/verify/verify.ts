// `sqlmig verify`: on scratch databases, prove each revert undoes its deploy and each file declares what it needs.
import type { ClassifiedDifference } from '../core/difference-class.js';
import type { Dialect } from '../core/dialect.js';
import { extensionsCreatedBy } from '../core/extensions.js';
import type { MigrationGraph } from '../core/graph.js';
import type { Migration } from '../core/migration.js';
import { dialectOfUrl, embeddedScratchUrl, openDriver } from '../drivers/index.js';
import { declaredValues, missingValues, redactValuesIn } from '../core/variable-values.js';
import { InputError, InterruptedError, UsageError } from '../errors.js';
import { isolation } from './isolation.js';
import { roundTrip } from './round-trip.js';
import { ScratchPool } from './scratch-pool.js';
import { runnerFor, type VerifyFailure } from './steps.js';

export type { VerifyFailure } from './steps.js';

/**
 * `cosmetic`: the revert restores the schema but for cosmetic differences (column order, comments,
 * formatting inside a body) — a pass, unless the run is strict.
 */
export type VerifyStatus =
  | 'ok' | 'cosmetic' | 'revert-incomplete' | 'deploy-failed' | 'revert-failed' | 'redeploy-failed' | 'irreversible' | 'not-run'
  | 'missing-requires' | 'requirement-failed';

export interface VerifyFileResult {
  name: string;
  path: string;
  status: VerifyStatus;
  /** Each difference between the schema before the deploy and after the revert, breaking or cosmetic. */
  differences?: ClassifiedDifference[];
  error?: VerifyFailure;
  /** For a missing requires: the object that was missing and the migration that creates it. */
  missing?: { object: string; createdBy?: string };
}

export interface VerifyReport {
  mode: 'round-trip' | 'isolation';
  /** Where the scratch databases were. */
  scratch: string;
  /** Whether cosmetic differences fail the run. */
  strict: boolean;
  /** The files checked, when not all of them were (`verify NAME…`, `--since`). */
  only?: string[];
  results: VerifyFileResult[];
  ok: boolean;
}

export interface VerifyOptions {
  /** A server URL: scratch databases are created (and dropped) there. Default: in memory (PGlite, or SQLite for a SQLite project). */
  db?: string;
  isolation?: boolean;
  /** Cosmetic differences fail too. */
  strict?: boolean;
  /** Check only these migrations; the others are applied as `up` would (round trip) or only as requirements (isolation). */
  only?: ReadonlySet<string>;
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

const PASSING: ReadonlySet<VerifyStatus> = new Set(['ok', 'irreversible', 'cosmetic']);

export async function verifyProject(project: VerifiedProject, options: VerifyOptions = {}): Promise<VerifyReport> {
  const url = options.db ?? embeddedScratchUrl(project.dialect.name);
  if (dialectOfUrl(url) !== project.dialect.name) {
    throw new UsageError(`verify --db names a ${dialectOfUrl(url)} database, but the project is read as ${project.dialect.name}`);
  }
  const values = declaredValues(project.order, options.vars);
  const missing = missingValues(project.order, values);
  if (missing.length > 0) throw new InputError(missing);
  const { only, signal } = options;
  const selected = (m: Migration) => !only || only.has(m.name);
  const chosen = project.order.filter(selected);
  const strict = options.strict === true;
  const mode = options.isolation ? 'isolation' : 'round-trip';
  const report = (scratch: string, results: VerifyFileResult[]): VerifyReport => ({
    mode, scratch, strict, ...(only && { only: chosen.map((m) => m.name) }), results,
    ok: results.every((r) => PASSING.has(r.status) && (!strict || r.status !== 'cosmetic')),
  });
  // Nothing chosen (no file changed since the ref): nothing to open.
  if (chosen.length === 0) return report('no database (nothing to verify)', []);
  const interrupted = () => (!signal?.aborted ? undefined : signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  const extensions = extensionsCreatedBy(project.order, project.dialect).map((u) => u.name);
  const driver = await openDriver(url, { lockWaitMs: 0, extensions });
  const scratchDatabases = await driver.scratchDatabases(options.isolation === true);
  const leftovers = scratchDatabases.droppedLeftovers ?? [];
  if (leftovers.length > 0) {
    options.onWarning?.(`dropped ${leftovers.length} scratch database${leftovers.length === 1 ? '' : 's'} left by verify runs that were killed: ${leftovers.join(', ')}`);
  }
  const pool = new ScratchPool(scratchDatabases, options.onWarning);
  const cancel = () => pool.cancelRunning();
  signal?.addEventListener('abort', cancel);
  const run = (scratch: Parameters<typeof runnerFor>[0]) => runnerFor(scratch, project.dialect, interrupted, values);
  // Differences name objects (a schema named by a variable): results show values as their placeholders.
  const onResult = options.onResult && ((r: VerifyFileResult, i: number, n: number) => options.onResult!(redactValuesIn(r, values), i, n));
  let outcome: { results: VerifyFileResult[] } | { error: unknown };
  try {
    outcome = {
      results: (options.isolation
        ? await isolation(project, chosen, () => pool.create(), run, onResult)
        : await roundTrip(project, await pool.create(), run, selected, onResult)).map((r) => redactValuesIn(r, values)),
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
  return report(pool.display, outcome.results);
}
