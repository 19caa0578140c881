// The session of an embedded database that does not exist yet: work on its empty history never needs one.
import type { Session } from './drivers/driver.js';

const absent = new WeakSet<Session>();

/** Whether `session` stands for a database that does not exist (so there is nothing to read). */
export function isAbsentSession(session: Session): boolean {
  return absent.has(session);
}

/** Stands in for a session that was never opened; using it is a bug in sqlmig, and says so. */
export function absentSession(display: string): Session {
  const refuse = async (): Promise<never> => {
    throw new Error(`${display} does not exist and was not opened, yet sqlmig tried to use it`);
  };
  const session: Session = {
    query: refuse,
    execute: refuse,
    setNoticeListener: () => undefined,
    cancel: async () => undefined,
    close: async () => undefined,
  };
  absent.add(session);
  return session;
}
