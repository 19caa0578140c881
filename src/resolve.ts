// `resolve`: the history repaired by hand — a failed file settled, a deliberate edit accepted, a rename followed.
import { compareDeploy, compareWithRow, indexHistory } from './core/drift.js';
import type { HistoryRow } from './core/history.js';
import type { Session } from './drivers/driver.js';
import { withTransaction } from './drivers/transaction.js';
import { UsageError } from './errors.js';
import { appliedRecordOf } from './execute.js';
import type { History } from './history.js';
import type { Project } from './project.js';

/**
 * `applied` / `reverted`: a failed `transaction: off` migration, repaired by hand. `accepted`: an
 * applied file edited on purpose, recorded as it is now. `renamedTo`: an applied file renamed.
 */
export type ResolveAction = 'applied' | 'reverted' | 'accepted' | { renamedTo: string };

export interface ResolveResult {
  name: string;
  as: 'applied' | 'reverted' | 'accepted' | 'renamed';
  /** False when there was nothing to record (`accepted` on a file that matches its history). */
  changed: boolean;
  /** `accepted`: the row's checksum before and after. */
  checksum?: { from: string; to: string };
  /** `renamed`: the row's new name. */
  renamedTo?: string;
}

export interface ResolveContext {
  project: Project;
  session: Session;
  history: History;
  /** The history as read under the lock. */
  rows: readonly HistoryRow[];
}

/** Checks the request against the files and the history, then writes the row and its event, in one transaction. */
export async function resolveMigration(
  ctx: ResolveContext, name: string, action: ResolveAction, options: { force?: boolean } = {},
): Promise<ResolveResult> {
  const { project, history } = ctx;
  const row = ctx.rows.find((r) => r.name === name);
  if (typeof action === 'object') return resolveRename(ctx, name, row, action.renamedTo);
  if (action === 'accepted') return resolveAccept(ctx, name, row);
  if (!row) {
    throw new UsageError(`"${name}" has no history row to resolve`, {
      hint: action === 'applied' && project.byName.has(name)
        ? `to record a pending migration as applied without running it: sqlmig up --log-only --to ${name}`
        : 'sqlmig status lists the failed migrations',
    });
  }
  if (action === 'applied' && row.status !== 'failed') throw new UsageError(`"${name}" is already applied`);
  // Forgetting a healthy applied migration would leave its objects behind, so it takes `force`.
  if (action === 'reverted' && row.status !== 'failed' && !options.force) {
    throw new UsageError(`"${name}" is applied, not failed: forgetting it would leave its objects in the database`, {
      hint: `to revert it: sqlmig down --only ${name}; if its objects were really removed by hand: sqlmig resolve ${name} --reverted --force`,
    });
  }
  const forced = action === 'reverted' && row.status !== 'failed' ? ' (forced: it was applied)' : '';
  await withTransaction(ctx.session, async () => {
    if (action === 'reverted') await history.remove(name);
    else {
      // The file as it is now, if it is still there (a failed revert may have outlived it): what ran is what it says.
      const m = project.byName.get(name);
      await history.markApplied(name, m && appliedRecordOf(m));
    }
    await history.logEvent(name, 'resolve', { error: `marked ${action}${forced}` });
  });
  return { name, as: action, changed: true };
}

async function resolveAccept(ctx: ResolveContext, name: string, row: HistoryRow | undefined): Promise<ResolveResult> {
  const m = ctx.project.byName.get(name);
  if (!row) {
    throw new UsageError(`"${name}" is not applied: there is no edit to accept`, {
      hint: m ? `sqlmig up applies it` : 'sqlmig status lists the applied migrations',
    });
  }
  if (row.status === 'failed') {
    throw new UsageError(`"${name}" failed midway: there is no completed apply to compare with`, {
      hint: `repair the database, then run "sqlmig resolve ${name} --applied" or "--reverted"`,
    });
  }
  if (!m) {
    const renamedTo = indexHistory(ctx.project, ctx.rows).renamedTo.get(name);
    throw new UsageError(`"${name}" has no file to accept`, {
      hint: renamedTo ? `it seems renamed: sqlmig resolve ${name} --renamed-to ${renamedTo}` : 'restore the file, or if it was renamed: sqlmig resolve NAME --renamed-to NEW',
    });
  }
  const c = compareWithRow(m, row, indexHistory(ctx.project, ctx.rows));
  if (c.deploy !== 'changed' && c.conflicts.length === 0) return { name, as: 'accepted', changed: false };
  await withTransaction(ctx.session, () => ctx.history.acceptedEdit(appliedRecordOf(m), row.checksum));
  return { name, as: 'accepted', changed: true, checksum: { from: row.checksum, to: m.checksum } };
}

async function resolveRename(ctx: ResolveContext, name: string, row: HistoryRow | undefined, newName: string): Promise<ResolveResult> {
  const { project } = ctx;
  if (!row) throw new UsageError(`"${name}" has no history row to rename`, { hint: 'sqlmig status lists the applied migrations' });
  if (project.byName.has(name)) {
    throw new UsageError(`"${name}" still has its file: a rename moves the history row of a file that is gone`, {
      hint: `rename the file to ${newName}.sql first`,
    });
  }
  const m = project.byName.get(newName);
  if (!m) throw new UsageError(`--renamed-to: unknown migration "${newName}"`, { hint: 'run sqlmig graph to list the names' });
  if (ctx.rows.some((r) => r.name === newName)) {
    throw new UsageError(`"${newName}" is already in the history`, { hint: 'a rename moves a row to a file that is still pending' });
  }
  if (compareDeploy(m, row) === 'changed') {
    throw new UsageError(`"${newName}" does not hold what "${name}" applied (checksums ${row.checksum.slice(0, 12)} and ${m.checksum.slice(0, 12)})`, {
      hint: `give ${newName} the deploy section that was applied, resolve the rename, then edit it and run "sqlmig resolve ${newName} --accept"`,
    });
  }
  await withTransaction(ctx.session, () => ctx.history.renamed(name, newName));
  return { name, as: 'renamed', changed: true, renamedTo: newName };
}
