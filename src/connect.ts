// Connects, trying again while the server is unreachable or starting up, for up to --connect-wait.
import type { Driver, Session } from './drivers/driver.js';
import { ConnectionError, InterruptedError } from './errors.js';

const RETRY_MS = 500;

/** A wait for the server: when it starts (with why the first attempt failed) and when a connection succeeds. Giving up throws instead. */
export type ConnectWaitEvent =
  | { type: 'connect-wait'; database: string; reason: string; waitMs: number }
  | { type: 'connected'; waitedMs: number };

export async function connectWithin(
  driver: Driver, waitMs: number, interrupted: () => 'SIGINT' | 'SIGTERM' | undefined, onWait?: (event: ConnectWaitEvent) => void,
): Promise<Session> {
  const started = Date.now();
  const deadline = started + waitMs;
  for (let attempts = 1; ; attempts++) {
    try {
      const session = await driver.connect();
      if (attempts > 1) onWait?.({ type: 'connected', waitedMs: Date.now() - started });
      return session;
    } catch (error) {
      // Wrong credentials or a missing database will not mend by waiting: only an absent server may.
      if (!(error instanceof ConnectionError) || error.code !== 'unreachable' || waitMs <= 0) throw error;
      const signal = interrupted();
      if (signal) throw new InterruptedError(signal);
      if (Date.now() >= deadline) {
        throw new ConnectionError(`${error.message} (still unreachable after ${attempts} attempts in ${waitMs / 1000}s)`, {
          code: 'unreachable', hint: error.hint, cause: error,
        });
      }
      if (attempts === 1) onWait?.({ type: 'connect-wait', database: driver.display, reason: error.message, waitMs });
      await new Promise((r) => setTimeout(r, Math.min(RETRY_MS, Math.max(1, deadline - Date.now()))));
    }
  }
}
