// verify's round trip: each chosen file deployed, reverted and compared on one scratch database; the others applied as `up` would.
import { classifyDifference, type ClassifiedDifference } from '../core/difference-class.js';
import type { Dialect } from '../core/dialect.js';
import type { Migration } from '../core/migration.js';
import { diffSnapshots, type Snapshot } from '../core/snapshot.js';
import type { Scratch, SnapshotBase } from '../drivers/driver.js';
import { deployStep, failureOf, HISTORY_SCHEMA, revertStep, Savepoints, type Runner, type RunnerFor } from './steps.js';
import type { VerifiedProject, VerifyFileResult, VerifyOptions } from './verify.js';

type Check = Pick<VerifyFileResult, 'status' | 'differences' | 'error'>;

/**
 * For each file in order: the chosen ones (`selected`) are snapshotted, deployed, reverted, compared
 * and left deployed; the others are deployed as `up` would, and nothing after the last chosen file
 * runs. A deploy that fails stops the run: what follows needs it.
 */
export async function roundTrip(
  project: VerifiedProject, scratch: Scratch, runnerFor: RunnerFor, selected: (m: Migration) => boolean, onResult: VerifyOptions['onResult'],
): Promise<VerifyFileResult[]> {
  const results: VerifyFileResult[] = [];
  const chosen = project.order.filter(selected);
  const last = project.order.indexOf(chosen.at(-1)!);
  const push = (r: VerifyFileResult) => { results.push(r); onResult?.(r, results.length - 1, chosen.length); };
  try {
    const runner = await runnerFor(scratch);
    await scratch.driver.prepareSnapshots?.(scratch.session, HISTORY_SCHEMA);
    let stopped = false;
    // The schema as a snapshot saw it, while nothing else has run since.
    let schema: Snapshot | undefined;
    for (const m of project.order.slice(0, last + 1)) {
      const base = { name: m.name, path: m.path };
      const checked = selected(m);
      if (stopped) {
        if (checked) push({ ...base, status: 'not-run' });
        continue;
      }
      if (checked && m.revert) {
        const { deployed, ...check } = await checkRevert(scratch, runner, m, project.dialect, schema);
        schema = deployed;
        if (check.status === 'deploy-failed' || check.status === 'redeploy-failed') stopped = true;
        push({ ...base, ...check });
        continue;
      }
      schema = undefined;
      try {
        await runner.run(deployStep(m), false);
      } catch (error) {
        // A file that was not chosen is named only when it stops the run.
        push({ ...base, status: 'deploy-failed', error: failureOf(error) });
        stopped = true;
        continue;
      }
      if (checked) push({ ...base, status: 'irreversible' });
    }
  } finally {
    await scratch.dispose();
  }
  return results;
}

/**
 * Snapshot, deploy, revert, snapshot, compare. A transactional file (where DDL is transactional) is
 * deployed once: the revert runs after a savepoint and is rolled back to it, so a broken revert
 * cannot disturb the checks after it and the file stays deployed. A `transaction: off` file is
 * deployed, reverted and deployed again.
 *
 * `schema`: a snapshot of the schema as it stands, if one was taken with nothing run since. In a
 * transaction, the snapshot after the deploy is one too (`deployed`, for the next file), and each
 * snapshot tells the driver what it follows, so that it reads only what changed.
 */
async function checkRevert(scratch: Scratch, runner: Runner, m: Migration, dialect: Dialect, schema?: Snapshot): Promise<Check & { deployed?: Snapshot }> {
  const { session, driver } = scratch;
  const snapshot = (base?: SnapshotBase) => driver.snapshot(session, HISTORY_SCHEMA, base);
  const compare = (before: Snapshot, after: Snapshot) => statusOf(diffSnapshots(before, after).map((d) => classifyDifference(d, dialect)));
  if (!m.transactional || !driver.capabilities.transactionalDdl) {
    const before = await snapshot(schema && { of: schema, since: 'unchanged' });
    return checkOutsideTransaction(runner, m, async () => compare(before, await snapshot()));
  }
  const tx = new Savepoints(scratch);
  await tx.begin();
  try {
    const before = await snapshot(schema && { of: schema, since: 'unchanged' });
    try {
      await runner.run(deployStep(m), true);
      await runner.resetAfter(deployStep(m));
    } catch (error) {
      await tx.undoAll();
      return { status: 'deploy-failed', error: failureOf(error) };
    }
    const deployed = await snapshot({ of: before, since: 'this transaction' });
    const mark = await tx.mark();
    let check: Check;
    try {
      await runner.run(revertStep(m), true);
      check = compare(before, await snapshot({ of: deployed, since: 'this transaction' }));
    } catch (error) {
      check = { status: 'revert-failed', error: failureOf(error) };
    }
    await tx.undoAndCommit(mark);
    return { ...check, deployed };
  } finally {
    // Only when something else than a step failed (an interruption, a lost connection).
    if (tx.isOpen) await tx.undoAll().catch(() => undefined);
  }
}

/** Where the file or the engine cannot roll DDL back: deploy, revert, compare, deploy. */
async function checkOutsideTransaction(runner: Runner, m: Migration, compare: () => Promise<Check>): Promise<Check> {
  try {
    await runner.run(deployStep(m), false);
  } catch (error) {
    return { status: 'deploy-failed', error: failureOf(error) };
  }
  try {
    await runner.run(revertStep(m), false);
  } catch (error) {
    // The revert rolled back on its own (or stopped midway) and the deploy stays: the run goes on.
    return { status: 'revert-failed', error: failureOf(error) };
  }
  const check = await compare();
  try {
    await runner.run(deployStep(m), false);
  } catch (error) {
    return { ...check, status: 'redeploy-failed', error: failureOf(error) };
  }
  return check;
}

function statusOf(differences: ClassifiedDifference[]): Check {
  if (differences.length === 0) return { status: 'ok', differences };
  return { status: differences.some((d) => d.class === 'breaking') ? 'revert-incomplete' : 'cosmetic', differences };
}
