// The MySQL/MariaDB migration lock: a named lock (GET_LOCK) held by the run's one connection.
import { sha256Hex } from '../core/checksum.js';
import type { MigrationLock, Session } from './driver.js';

/** Named locks are limited to 64 characters: a long database or schema name is hashed. */
export function lockName(database: string, schema: string): string {
  const name = `sqlmig:${database}:${schema}`;
  return name.length <= 64 ? name : `sqlmig:${sha256Hex(name).slice(0, 56)}`;
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
    // Without the PROCESS privilege the processlist shows only our own connections: then the id alone.
    // Aliases: MySQL 8 names information_schema columns in capitals whatever the query says.
    const who = await this.session.query<{ user: string; host: string; command: string; time: number }>(
      'SELECT user AS user, host AS host, command AS command, time AS time FROM information_schema.processlist WHERE id = ?', [row.id]);
    const h = who[0];
    if (!h) return `connection ${row.id}`;
    const doing = h.command === 'Sleep' ? `idle for ${h.time} s` : `running a statement for ${h.time} s`;
    return `connection ${row.id}, user ${h.user}@${h.host.replace(/:\d+$/, '')}, ${doing}`;
  }

  async release(): Promise<boolean> {
    // 1: released; 0: held by another connection; NULL: nobody held it. Either of the last two means it was lost.
    const [row] = await this.session.query<{ ok: number | null }>('SELECT RELEASE_LOCK(?) AS ok', [this.name]);
    return Number(row.ok) === 1;
  }
}
