// Reads a schema snapshot over a session (PostgreSQL and PGlite alike).
import type { Snapshot } from '../core/snapshot.js';
import type { Session } from '../drivers/driver.js';
import { SNAPSHOT_SQL } from './snapshot-sql.js';

export async function readSnapshot(session: Session, historySchema: string): Promise<Snapshot> {
  const rows = await session.query<{ key: string; value: string | null }>(SNAPSHOT_SQL, [historySchema]);
  return new Map(rows.map((r) => [r.key, r.value ?? '']));
}
