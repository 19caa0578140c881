// Takes the migration lock by polling, bounded by --lock-wait; a timeout names who holds it.
import type { MigrationLock } from './drivers/driver.js';
import { LockError } from './errors.js';

const POLL_MS = 200;

/** A wait for another run's lock: when it starts (naming the holder) and when the lock is taken. A timeout throws instead. */
export type LockWaitEvent =
  | { type: 'lock-wait'; holder?: string }
  | { type: 'lock-acquired'; waitedMs: number };

export async function acquireLock(
  lock: MigrationLock, waitMs: number, schema: string, isCancelled: () => boolean, onWait?: (event: LockWaitEvent) => void,
): Promise<void> {
  const started = Date.now();
  const deadline = started + waitMs;
  for (let waiting = false; ; waiting = true) {
    if (await lock.tryAcquire()) {
      if (waiting) onWait?.({ type: 'lock-acquired', waitedMs: Date.now() - started });
      return;
    }
    if (isCancelled()) throw new LockError('interrupted while waiting for the migration lock');
    if (Date.now() >= deadline) {
      const holder = await lock.describeHolder();
      throw new LockError(
        `could not take the migration lock of schema "${schema}" within ${formatSeconds(waitMs)}: held by ${holder ?? 'another session'}`,
        { hint: 'another sqlmig run is probably in progress; wait for it, or raise --lock-wait' },
      );
    }
    if (!waiting && onWait) onWait({ type: 'lock-wait', holder: await lock.describeHolder() });
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}

export async function releaseLock(lock: MigrationLock, schema: string): Promise<void> {
  if (!(await lock.release())) {
    throw new LockError(`the migration lock of schema "${schema}" was lost before the run ended`, {
      hint: 'a proxy or pooler that shares server connections between clients (PgBouncer in transaction mode, for one) breaks session locks: connect sqlmig directly to the server',
    });
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
