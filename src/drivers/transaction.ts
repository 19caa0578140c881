// One transaction on a session: BEGIN, the work, COMMIT — or ROLLBACK when the work or the COMMIT fails.
import type { Session } from './driver.js';

/**
 * Runs `work` inside one transaction. The migration steps themselves do not come through here: a
 * step's BEGIN rides with its first statement (one round trip fewer), see src/execute.ts.
 */
export async function withTransaction<T>(session: Session, work: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await session.execute(begin);
  try {
    const result = await work();
    await session.execute('COMMIT');
    return result;
  } catch (error) {
    await session.execute('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
