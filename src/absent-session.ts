// The session of an embedded database that does not exist yet: work on its empty history never needs one.
import type { Session } from './drivers/driver.js';

/** Stands in for a session that was never opened; using it is a bug in sqlmig, and says so. */
export function absentSession(display: string): Session {
  const refuse = async (): Promise<never> => {
    throw new Error(`${display} does not exist and was not opened, yet sqlmig tried to use it`);
  };
  return {
    query: refuse,
    execute: refuse,
    setNoticeListener: () => undefined,
    cancel: async () => undefined,
    close: async () => undefined,
  };
}
