// What a step writes to the history, and when: the running / failed / applied protocol, once for every engine.
import type { HistoryUpdate } from './core/drift.js';
import type { AppliedRecord, EventAction, HistoryStore } from './drivers/driver.js';

type Record = Omit<AppliedRecord, 'durationMs'>;

/**
 * The history's transitions, written through a driver's rows-only store. A transactional step writes
 * `applied` / `reverted` inside its own transaction; a `transaction: off` step marks its row running
 * (status failed, at statement N) before each statement, so a run that dies midway leaves
 * "failed at statement N" behind and later runs stop until `sqlmig resolve`.
 */
export class History {
  constructor(readonly store: HistoryStore) {}

  /**
   * A deploy completed: its row (new, or the one `markRunning` made) and a deploy event. A re-applied
   * repeatable file's row is replaced by a new one at the end of the history: the re-apply is its latest
   * application, which `down` undoes first, and it now comes after everything it requires.
   */
  async applied(record: AppliedRecord, marked: boolean, reapply = false): Promise<void> {
    const duration = Math.round(record.durationMs);
    if (reapply) {
      await this.store.delete(record.name);
      await this.store.insert({ ...record, durationMs: duration, status: 'applied', failedStatement: null, error: null });
    } else if (marked) {
      await this.store.update(record.name, {
        ...record, durationMs: duration, status: 'applied', failedStatement: null, error: null, appliedNow: true,
      });
    } else {
      await this.store.insert({ ...record, durationMs: duration, status: 'applied', failedStatement: null, error: null });
    }
    await this.store.appendEvent({ name: record.name, action: 'deploy', checksum: record.checksum, durationMs: duration });
  }

  /** A revert completed: the row goes, a revert event stays. */
  async reverted(name: string, durationMs: number): Promise<void> {
    await this.store.delete(name);
    await this.store.appendEvent({ name, action: 'revert', durationMs: Math.round(durationMs) });
  }

  /**
   * Before statement `statement` of a `transaction: off` step: its row says it stopped there until it
   * completes. `record` makes the row of a first deploy; without it the existing row is marked.
   */
  async markRunning(name: string, action: 'deploy' | 'revert', statement: number, record?: Record): Promise<void> {
    const error = `the ${action} stopped during statement ${statement}: the run ended before it finished`;
    if (action === 'deploy' && statement === 1 && record) {
      await this.store.insert({ ...record, durationMs: 0, status: 'failed', failedStatement: 1, error });
    } else {
      await this.store.update(name, { status: 'failed', failedStatement: statement, error });
    }
  }

  /** The first statement failed, so nothing ran: the row goes back to what it was (none for a first deploy). */
  async unmarkRunning(name: string, action: 'deploy' | 'revert', reapply = false): Promise<void> {
    if (action === 'deploy' && !reapply) await this.store.delete(name);
    else await this.store.update(name, { status: 'applied', failedStatement: null, error: null });
  }

  /** A `transaction: off` step failed at `statement` after others ran: the row keeps it, with the error. */
  async markFailed(name: string, statement: number, error: string): Promise<void> {
    await this.store.update(name, { status: 'failed', failedStatement: statement, error });
    await this.logEvent(name, 'fail', { error });
  }

  /**
   * `up --log-only` (or `import --db`, `reason`): recorded as applied without running (a changed
   * repeatable file's row replaced), with a resolve event that says so.
   */
  async loggedOnly(record: Record, options: { reapply?: boolean; reason?: string } = {}): Promise<void> {
    const { reapply = false, reason = 'up --log-only' } = options;
    if (reapply) await this.store.delete(record.name);
    await this.store.insert({ ...record, durationMs: 0, status: 'applied', failedStatement: null, error: null });
    await this.logEvent(record.name, 'resolve', { checksum: record.checksum, error: `recorded as applied without running it (${reason})` });
  }

  /**
   * `resolve --applied`: a failed row marked applied where it stands; with `record`, it takes the
   * file's checksum, requires and revert. Logs nothing (resolve logs its own event).
   */
  async markApplied(name: string, record?: Record): Promise<void> {
    await this.store.update(name, { ...record, status: 'applied', failedStatement: null, error: null });
  }

  /** `resolve --reverted`: the row goes without a revert event (resolve logs its own). */
  async remove(name: string): Promise<void> {
    await this.store.delete(name);
  }

  /** `resolve --accept`: the row takes the file as it is now, in its place; the event names both checksums. */
  async acceptedEdit(record: Record, previousChecksum: string): Promise<void> {
    const { checksum, requires, revertSql, transactional } = record;
    await this.store.update(record.name, { checksum, requires, revertSql, transactional });
    await this.logEvent(record.name, 'resolve', { checksum, error: `accepted edit: ${previousChecksum} -> ${checksum}` });
  }

  /** `resolve OLD --renamed-to NEW`: the row moves to the new name, in its place; the event is logged under the new one. */
  async renamed(name: string, newName: string): Promise<void> {
    await this.store.rename(name, newName);
    await this.logEvent(newName, 'resolve', { error: `renamed from ${name}` });
  }

  /** Quiet updates (core/drift.ts `historyUpdates`): they record nothing new, so they log no event. */
  async absorb(updates: readonly HistoryUpdate[]): Promise<void> {
    for (const { name, change } of updates) await this.store.update(name, change);
  }

  async logEvent(name: string, action: EventAction, details: { checksum?: string; error?: string; durationMs?: number } = {}): Promise<void> {
    const durationMs = details.durationMs === undefined ? undefined : Math.round(details.durationMs);
    await this.store.appendEvent({ name, action, ...details, durationMs });
  }
}
