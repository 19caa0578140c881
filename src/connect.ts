// Connects, trying again while the server is unreachable or starting up, for up to --connect-wait.
import type { Driver, Session } from './drivers/driver.js';
import { ConnectionError, InterruptedError } from './errors.js';

const RETRY_MS = 500;

export async function connectWithin(
  driver: Driver, waitMs: number, interrupted: () => 'SIGINT' | 'SIGTERM' | undefined,
): Promise<Session> {
  const deadline = Date.now() + waitMs;
  for (let attempts = 1; ; attempts++) {
    try {
      return await driver.connect();
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
      await new Promise((r) => setTimeout(r, Math.min(RETRY_MS, Math.max(1, deadline - Date.now()))));
    }
  }
}
