// The MySQL/MariaDB migration lock: a named lock (GET_LOCK) held by the run's one connection.
import { createHash } from 'node:crypto';
import type { MigrationLock, Session } from './driver.js';

/** Named locks are limited to 64 characters: a long database or schema name is hashed. */
export function lockName(database: string, schema: string): string {
  const name = `sqlmig:${database}:${schema}`;
  return name.length <= 64 ? name : `sqlmig:${createHash('sha256').update(name).digest('hex').slice(0, 56)}`;
}

export class NamedLock implements MigrationLock {
  private readonly name: string;

  constructor(private readonly session: Session, database: string, schema: string) {
    this.name = lockName(database, schema);
  }

  async tryAcquire(): Promise<boolean> {
    // Timeout 0: one try; lock.ts polls until --lock-wait.
    const [row] = await this.session.query<{ ok: number | null }>('SELECT GET_LOCK(?, 0) AS ok', [this.name]);
    return Number(row.ok) === 1;
  }

  async describeHolder(): Promise<string | undefined> {
    const [row] = await this.session.query<{ id: number | null }>('SELECT IS_USED_LOCK(?) AS id', [this.name]);
    if (row.id === null || row.id === undefined) return undefined;
    const who = await this.session.query<{ user: string; host: string; db: string | null; time: number }>(
      'SELECT user, host, db, time FROM information_schema.processlist WHERE id = ?', [row.id]);
    const h = who[0];
    return h ? `connection ${row.id}, user ${h.user}@${h.host}, connected for ${h.time} s` : `connection ${row.id}`;
  }

  async release(): Promise<boolean> {
    // 1: released; 0: held by another connection; NULL: nobody held it. Either of the last two means it was lost.
    const [row] = await this.session.query<{ ok: number | null }>('SELECT RELEASE_LOCK(?) AS ok', [this.name]);
    return Number(row.ok) === 1;
  }
}
